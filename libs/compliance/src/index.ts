export * from './compliance.engine';
export * from './compliance.messages';
export * from './compliance.module';
export * from './compliance.rules';
export * from './flag.entity';
export * from './flags.service';
export * from './dto/flag.dto';
