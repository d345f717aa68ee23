import './reference.messages';

export * from './province-key';
export * from './reference.data';
export * from './reference.entity';
export * from './reference.module';
export * from './reference.service';
export * from './dto/reference.dto';
