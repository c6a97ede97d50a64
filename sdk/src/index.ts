export * from './entity.js';
export * from './problem.js';
export * from './records.js';
export * from './settings.js';
