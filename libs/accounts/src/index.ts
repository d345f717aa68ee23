export * from './accounts.module';
export * from './auth.guards';
export * from './auth.service';
export * from './dto/auth.dto';
export * from './passwords';
export * from './user.entity';
