// The enterprise-service lifecycle (企业服务经理人 / 服务专员: 指定 → 对接 → 需求转题 → 更换 / 结束): events,
// commands, decider, rules, and the cadence the read side derives from time.

export * from './cadence.js';
export * from './commands.js';
export * from './decider.js';
export * from './errors.js';
export * from './events.js';
