import './regulation.messages';

export * from './dto/audit-log.dto';
export * from './dto/license-decision.dto';
export * from './dto/suspension.dto';
export * from './recruitment-suspension.entity';
export * from './regulation.module';
export * from './regulation.service';
