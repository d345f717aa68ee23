import './recruiters.messages';

export * from './dto/recruiter.dto';
export * from './recruiter-checks.service';
export * from './recruiter-keys';
export * from './recruiter-report.entity';
export * from './recruiter-reports.service';
export * from './recruiters.module';
export * from './recruiters.settings';
