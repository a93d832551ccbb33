// Which modules a program loads when it runs: the program is started the way `tsx` starts it, with a
// module hook that records every module it resolves (see record-modules.mjs). For checks such as "the
// main job loads no test runner", which no import rule can prove for a whole dependency graph.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LoadedModulesOptions {
  /** Where the program is started; `tsx` is resolved from here, as `pnpm start` finds it. */
  readonly cwd: string;
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** The run is killed after this long (default 120 s). */
  readonly timeoutMs?: number;
  /**
   * For a program that runs until stopped (a server): sent SIGINT, as Ctrl-C would, once its stdout
   * matches this; the run then ends when the program has stopped on its own.
   */
  readonly stopWhen?: RegExp;
}

export interface LoadedModules {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Every module loaded, each once: file paths, and `node:` names for built-ins. */
  readonly modules: readonly string[];
}

const recorder = new URL('./record-modules.mjs', import.meta.url).href;

/**
 * Runs `entry` (a TypeScript or JavaScript file, relative to `cwd`) to its end, or until `stopWhen` and
 * then its clean stop, and lists what it loaded.
 */
export const loadedModulesOf = async (entry: string, options: LoadedModulesOptions): Promise<LoadedModules> => {
  const dir = await mkdtemp(join(tmpdir(), 'banshishi-modules-'));
  const log = join(dir, 'modules.log');
  try {
    const env: Record<string, string | undefined> = { ...process.env, ...options.env, BANSHISHI_MODULE_LOG: log };
    // Whatever the calling test runner preloads is not part of the program.
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', recorder, entry], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 120_000,
    });
    let stdout = '';
    let stderr = '';
    let stopSent = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (options.stopWhen !== undefined && !stopSent && options.stopWhen.test(stdout)) {
        stopSent = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    const recorded = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');
    const modules = [...new Set(recorded.map((m) => (m.startsWith('file:') ? fileURLToPath(m) : m)))];
    return { exitCode, stdout, stderr, modules };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
