export * from './agencies.module';
export * from './agencies.service';
export * from './agency.entity';
export * from './dto/agency.dto';
