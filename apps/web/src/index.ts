export * from './web.module';
export * from './web.bootstrap';
export * from './web.settings';
export * from './console/queue-board';
