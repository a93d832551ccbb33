// 遗忘: forgetting a data subject (crypto-shredding, docs/privacy.md).
export * from './commands.js';
export * from './decider.js';
export * from './errors.js';
export * from './events.js';
