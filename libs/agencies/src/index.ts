export * from './agencies.messages';
export * from './agencies.module';
export * from './agencies.service';
export * from './agency.entity';
export * from './dto/agency.dto';
export * from './departure-report.entity';
export * from './departure-reports.service';
export * from './dto/departure-report.dto';
