// The in-browser proof check (client/proof-check.ts) with core's verifyProofBundle, bundled by esbuild on
// the first request for it and kept in memory: the board serves it itself, so the CSP's `script-src 'self'`
// allows it and a reader's browser fetches nothing from anywhere else.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const proofCheckPath = '/static/proof-check.js';

const entry = fileURLToPath(new URL('../client/proof-check.ts', import.meta.url));

/** The bundle's text, built once; a failed build is tried again on the next request. */
export const proofCheckBundle = (): (() => Promise<string>) => {
  let bundled: Promise<string> | undefined;
  return () => {
    bundled ??= build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'iife',
      target: 'es2020',
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
    }).then(
      (result) => result.outputFiles[0]?.text ?? '',
      (error: unknown) => {
        bundled = undefined;
        throw error;
      },
    );
    return bundled;
  };
};
