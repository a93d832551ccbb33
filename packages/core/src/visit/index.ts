// The visit lifecycle (入户走访 · 五问五解决 · 处长网格员): events, commands, decider, rules and the
// quota the read side derives from them.
export * from './commands.js';
export * from './decider.js';
export * from './errors.js';
export * from './events.js';
export * from './quota.js';
