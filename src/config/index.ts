export * from './types';
export * from './environments';
export * from './settings';
export * from './validate';
