export * from './commands';
export * from './errors';
export * from './events';
export * from './permissions';
export * from './protocol';
export * from './types';
