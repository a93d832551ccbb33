// The directory (units and people with their roles): events, commands, deciders, rules and the office's
// authority. view.ts and static-view.ts are exported from the package index directly; the fold of the
// directory from the log lives in handling/ (view-builder.ts), beside the decision-context loader.
export * from './authority.js';
export * from './commands.js';
export * from './decider.js';
export * from './errors.js';
export * from './events.js';
