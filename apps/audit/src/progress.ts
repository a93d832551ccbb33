// Progress on long runs: a bar (cli-progress) when stderr is a terminal, a plain line every few seconds
// otherwise (a CI log, a file), and nothing at all with --json, whose readers want stdout clean anyway.
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

export const progress = (
  what: string,
  total: number | undefined,
  options: { readonly quiet?: boolean } = {},
): Progress => {
  if (options.quiet === true) return { update: () => {}, stop: () => {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format:
          total === undefined
            ? `${what} {value}`
            : `${what} [{bar}] {percentage}% {value}/{total} · {eta_formatted} left`,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total ?? 0, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  let last = Date.now();
  let latest = 0;
  return {
    update: (done) => {
      latest = done;
      if (Date.now() - last < 5000) return;
      last = Date.now();
      process.stderr.write(`${what} ${done}${total === undefined ? '' : ` of ${total}`}\n`);
    },
    stop: () => {
      if (latest > 0) process.stderr.write(`${what} ${latest}${total === undefined ? '' : ` of ${total}`}: done\n`);
    },
  };
};
