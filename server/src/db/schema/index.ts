export * from './auth';
export * from './billing';
export * from './ai';
export * from './growth';
export * from './gamification';
export * from './content';
export * from './orgs';
export * from './ops';
