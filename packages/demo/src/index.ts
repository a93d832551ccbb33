// @banshishi/demo — the demo-data generator: a Jiaozhou-like 千名书记解千题、万名党员圆万梦 campaign,
// deterministic from a seed, at any scale from the embedded demo to millions of events, every history
// decided by the deciders. A runtime package: the board seeds it on first start, so nothing here may
// import a test runner.
export { type DemoServiceArea, demoDistrictBox, demoServiceAreas } from './areas.js';
export * from './generate.js';
export { demoLifecycles, registryOfCategory } from './lifecycles.js';
export * from './manifest.js';
export { type DemoOptions, type ResolvedDemoOptions, resolveDemoOptions } from './options.js';
export { type Population, planPopulation } from './organisation.js';
export { idCheckDigit, type PersonalValueKind, personalKinds } from './people.js';
export type { DemoCommand, DemoOutcome } from './planning.js';
export { createRandom, type Random } from './random.js';
export { type DemoRosterEntry, demoRoster } from './roster.js';
export { type DemoScript, demoScript } from './script.js';
export * from './seed.js';
