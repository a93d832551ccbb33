// The wish lifecycle (寻梦 → 领梦 → 圆梦 → 确认 → 亮梦): events, commands, decider, rules and the helpers
// command handling and read models share with it.

export * from './claim-quota.js';
export * from './claims.js';
export * from './commands.js';
export * from './decider.js';
export * from './errors.js';
export * from './events.js';
export * from './showcase.js';
