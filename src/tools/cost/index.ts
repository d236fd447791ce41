export * from './assumptions';
export * from './estimator';
export * from './prices';
export * from './render';
