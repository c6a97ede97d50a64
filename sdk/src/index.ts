export * from './entity.js';
export * from './problem.js';
export * from './records.js';
export * from './settings.js';
export * from './manifest.js';
export * from './module.js';
export * from './client.js';
export * from './decimal.js';
