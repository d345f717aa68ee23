export * from './dto/ranking.dto';
export * from './dto/review.dto';
export * from './ranking.entity';
export * from './ranking.formula';
export * from './ranking.module';
export * from './ranking.service';
export * from './review.entity';
export * from './reviews.service';
