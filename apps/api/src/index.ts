// @banshishi/api — the command API as an app to mount (the embedded main job serves it beside the board),
// its configuration, and the serving and environment helpers the processes of banshishi share.

export { type DemoPerson, demoOfficeHolder, demoPeople } from './auth/demo-people.js';
export { ensureEmbeddedTokenSecret } from './auth/embedded-secret.js';
export { issueDevToken } from './auth/tokens.js';
export * from './config.js';
export * from './env.js';
export { type ApiDeps, type ApiLimits, createApiApp, defaultApiLimits, type Integration } from './http/app.js';
export type { ReadModelFreshness } from './http/context.js';
export { apiRules } from './http/problem-details.js';
export { apiBase, commandRoutes, isApiRequest } from './routes/command-routes.js';
export { readRoutes } from './routes/read-routes.js';
export * from './security-headers.js';
export * from './serve.js';
export { tokenVerifierFor } from './token-keys.js';
