// Campaigns: period, targets and per-person quotas (千名书记解千题、万名党员圆万梦).
export * from './commands.js';
export * from './decider.js';
export * from './errors.js';
export * from './events.js';
