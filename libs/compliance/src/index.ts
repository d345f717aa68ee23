export * from './compliance.engine';
export * from './compliance.rules';
