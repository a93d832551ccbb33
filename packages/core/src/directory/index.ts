// The directory (units and people with their roles): events, commands, deciders, rules, and the view
// folded from them. view.ts and static-view.ts are exported from the package index directly.
export * from './commands.js';
export * from './decider.js';
export * from './errors.js';
export * from './events.js';
export * from './view-builder.js';
