export * from './assumptions';
export * from './estimator';
export * from './model';
export * from './not-billed';
export * from './prices';
export * from './render';
export * from './readme';
