// The pairing lifecycle (党员干部结新亲): events, commands, decider, rules, the excerpt screen and command
// handling.

export * from './commands.js';
export * from './decider.js';
export * from './errors.js';
export * from './events.js';
export * from './excerpt.js';
export * from './handler.js';
