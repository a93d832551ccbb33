// The one seeded generator specs draw from, so a failing seed replays exactly. It is the demo's
// (sfc32 seeded through splitmix32): the demo package needs it at run time, where testkit must never
// load, so it lives there and testkit re-exports it rather than keeping a second one.
export { createRandom, type Random } from '@banshishi/demo';
