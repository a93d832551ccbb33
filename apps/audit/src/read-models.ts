// `banshishi-audit verify-read-models [--json] [<projection> …]`: rebuilds each projection from the log into
// a scratch schema and lists every row where the live read models differ (checkReadModels in
// @banshishi/read-models). Repairs nothing. Exit status 0 when every table matches, 1 when something
// differs, 2 when the check could not run (bad arguments, no read models, a failure on the way).
import { parseArgs } from 'node:util';
import {
  checkReadModels,
  type ProjectionName,
  projectionNames,
  projections,
  type ReadModelCheckReport,
  readModelCheckLines,
} from '@banshishi/read-models';
import * as E from 'fp-ts/lib/Either.js';
import { progress } from './progress.js';
import type { Opened } from './sources.js';

export interface VerifyReadModelsArgs {
  readonly json: boolean;
  /** Projections to check, by name; empty for all of them. */
  readonly projections: readonly ProjectionName[];
}

const isProjectionName = (name: string): name is ProjectionName => (projectionNames as string[]).includes(name);

/** `--json` and projection names; anything else is refused, naming what was wrong. */
export const decodeVerifyReadModelsArgs = (argv: readonly string[]): E.Either<string, VerifyReadModelsArgs> => {
  let parsed: ReturnType<typeof parse>;
  const parse = (args: string[]) =>
    parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  try {
    parsed = parse([...argv]);
  } catch (error) {
    return E.left(error instanceof Error ? error.message : String(error));
  }
  const unknown = parsed.positionals.filter((name) => !isProjectionName(name));
  if (unknown.length > 0) {
    return E.left(
      `no projection ${unknown.map((n) => JSON.stringify(n)).join(', ')}: expected ${projectionNames.join(', ')}`,
    );
  }
  return E.right({ json: parsed.values.json, projections: parsed.positionals.filter(isProjectionName) });
};

export interface VerifyReadModelsIo {
  /** The result (stdout). */
  readonly out?: (text: string) => void;
  /** Refusals and failures (stderr). */
  readonly err?: (text: string) => void;
  /** Progress while rebuilding; default a bar on a terminal, plain lines otherwise, nothing with --json. */
  readonly progress?: typeof progress;
}

/** The report as JSON: the same data the lines are made of. */
export const readModelReportJson = (report: ReadModelCheckReport): string => JSON.stringify(report, null, 2);

/** An error's first line only: a database error's detail may quote a row. */
const firstLine = (error: unknown): string =>
  ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').slice(0, 200);

/** Decodes the arguments, runs the check over what `opened` holds, prints it; resolves with the exit status. */
export const runVerifyReadModels = async (
  opened: Pick<Opened, 'store' | 'readModels'>,
  argv: readonly string[],
  io: VerifyReadModelsIo = {},
): Promise<number> => {
  const out = io.out ?? ((text: string) => process.stdout.write(text));
  const err = io.err ?? ((text: string) => process.stderr.write(text));
  const args = decodeVerifyReadModelsArgs(argv);
  if (E.isLeft(args)) {
    err(`banshishi-audit verify-read-models: ${args.left}\n`);
    return 2;
  }
  try {
    const readModels = await opened.readModels();
    if (readModels === null) {
      err('banshishi-audit verify-read-models: no read models here (set READ_MODELS_URL or DATABASE_URL)\n');
      return 2;
    }
    const selected =
      args.right.projections.length === 0
        ? projectionNames.map((name) => projections[name])
        : args.right.projections.map((name) => projections[name]);
    // One progress line or bar per projection, each rebuilt in turn.
    let current: { readonly projection: string; readonly bar: ReturnType<typeof progress> } | undefined;
    const report = await checkReadModels({
      store: opened.store,
      readModels,
      projections: selected,
      onProgress: (p) => {
        if (current?.projection !== p.projection) {
          current?.bar.stop();
          const bar = (io.progress ?? progress)(`rebuilding ${p.projection} from the log: events`, undefined, {
            quiet: args.right.json,
          });
          current = { projection: p.projection, bar };
        }
        current.bar.update(p.events);
      },
    });
    current?.bar.stop();
    out(args.right.json ? `${readModelReportJson(report)}\n` : `${readModelCheckLines(report).join('\n')}\n`);
    return report.differences === 0 ? 0 : 1;
  } catch (error) {
    err(`banshishi-audit verify-read-models: could not run: ${firstLine(error)}\n`);
    return 2;
  }
};
