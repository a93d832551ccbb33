// `pnpm dev-token <personId> | --role <role> [--client <id>] [--ttl <hours>] [--json]`, `pnpm dev-token --list`:
// a bearer token for a person of the embedded demo, signed with the main job's token secret
// (PGLITE_DIR/api-token-secret). Exit status 0 done, 2 bad usage, unknown person or role.
import * as E from 'fp-ts/lib/Either.js';
import {
  decodeDevTokenArgs,
  decodeDevTokenEnv,
  devToken,
  formatDevToken,
  formatDevTokenJson,
} from './auth/dev-token-command.js';

const main = async (): Promise<number> => {
  const env = decodeDevTokenEnv(process.env, process.cwd());
  if (E.isLeft(env)) {
    process.stderr.write(`${env.left}\n`);
    return 2;
  }
  const args = decodeDevTokenArgs(process.argv.slice(2));
  if (E.isLeft(args)) {
    process.stderr.write(`${args.left}\n`);
    return 2;
  }
  const result = await devToken(args.right, env.right);
  if (E.isLeft(result)) {
    process.stderr.write(`${result.left.message}\n`);
    return 2;
  }
  if (args.right.json) process.stdout.write(formatDevTokenJson(result.right));
  else {
    const { stdout, stderr } = formatDevToken(result.right);
    process.stderr.write(stderr);
    process.stdout.write(stdout);
  }
  return 0;
};

process.exitCode = await main();
