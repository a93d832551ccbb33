// The projector as operators run it, for the specs that start it as a child process: its own Node process
// running main.ts, configured through the environment, its output collected for the failure message.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, '..', 'main.ts');
const root = join(here, '..', '..', '..', '..');

/** Starts `projector <command>` (run by default) with these variables over the parent's environment. */
export const startProjectorProcess = (
  env: Readonly<Record<string, string>>,
  output: string[],
  command: 'run' | 'checkpoint' = 'run',
  stdout?: string[],
): ChildProcess => {
  const child = spawn(process.execPath, ['--import', 'tsx', main, command], {
    cwd: root,
    env: { ...process.env, METRICS_PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output.push(chunk.toString());
    stdout?.push(chunk.toString());
  });
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return child;
};

/** How the process ended, once it has. */
export const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
