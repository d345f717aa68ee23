import './regulation.messages';

export * from './dto/regulation.dto';
export * from './recruitment-suspension.entity';
export * from './regulation.module';
export * from './regulation.service';
