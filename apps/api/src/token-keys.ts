// From the configured way of verifying tokens to a verifier: a shared secret, a key set in a local file
// (read once at start, so a wrong file stops start-up), or the key set the city's single sign-on publishes.
import { readFile } from 'node:fs/promises';
import { createTokenVerifier, type TokenVerifier } from './auth/tokens.js';
import type { TokenConfig } from './config.js';

export const tokenVerifierFor = async (config: TokenConfig): Promise<TokenVerifier> => {
  const checks = {
    ...(config.issuer === undefined ? {} : { issuer: config.issuer }),
    ...(config.audience === undefined ? {} : { audience: config.audience }),
  };
  if (config.secret !== undefined)
    return createTokenVerifier({ keys: { kind: 'secret', secret: config.secret }, ...checks });
  if (config.jwksUrl !== undefined)
    return createTokenVerifier({ keys: { kind: 'jwks_url', url: config.jwksUrl }, ...checks });
  if (config.jwksFile !== undefined) {
    let jwks: unknown;
    try {
      jwks = JSON.parse(await readFile(config.jwksFile, 'utf8'));
    } catch (error) {
      throw new Error(
        `env.API_JWKS_FILE: cannot read a JSON key set from ${config.jwksFile} (${(error as Error).message})`,
      );
    }
    if (typeof jwks !== 'object' || jwks === null || !Array.isArray((jwks as { keys?: unknown }).keys))
      throw new Error(`env.API_JWKS_FILE: ${config.jwksFile} is not a JSON Web Key Set ({"keys": [...]})`);
    return createTokenVerifier({ keys: { kind: 'jwks', jwks: jwks as never }, ...checks });
  }
  throw new Error('no way to verify tokens was configured');
};
