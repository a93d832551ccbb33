// The problem lifecycle (征题 → 领题 → 解题 → 评题) as embedding apps use it: the decider, its events
// and registry, the command codecs an API decodes bodies with, and the names of the rules it enforces.
export * from './commands.js';
export * from './decider.js';
export * from './errors.js';
export * from './events.js';
export * from './overdue.js';
