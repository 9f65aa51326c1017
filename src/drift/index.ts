export * from './compare';
export * from './rules';
export * from './against';
export * from './declared';
