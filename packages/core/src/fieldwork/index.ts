export * from './check-in.js';
export * from './origin.js';
export * from './topics.js';
