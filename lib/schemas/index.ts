export * from './host';
export * from './pool';
export * from './volume';
export * from './domain';
export * from './pool-create';
export * from './volume-ops';
export * from './job';
export * from './vmdk-migration';
