export * from './accounts.messages';
export * from './accounts.module';
export * from './accounts.settings';
export * from './auth.guards';
export * from './auth.service';
export * from './dto/auth.dto';
export * from './passwords';
export * from './user.entity';
