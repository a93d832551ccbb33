#!/usr/bin/env -S npx tsx
// The office's command line (docs/privacy.md): `pnpm office <command>`.
//   subjects --person <personId> | --stream <streamId>    the data subjects, where their data is, their keys
//   forget --subject <id> --basis <ground> --reference <case> --as <office personId> [--unit <district>]
//   reveal <streamId> --purpose <code> --statement "…" --as <personId> [--role <role>]
// Events from PostgreSQL (DATABASE_URL, EVENT_STORE_SCHEMA) or the embedded PGlite folder (PGLITE_DIR,
// default .data/banshishi: stop the main job first, a folder has one user at a time); keys from
// KEY_STORE_SCHEMA (default personal_keys) in the same database. `--json` prints JSON.
// Exit status 0 done, 1 refused (the rule is printed), 2 bad usage or could not run.
import { parseArgs } from 'node:util';
import {
  createCorePersonalDataSealer,
  type PersonalDataSealer,
  reapplyForgetting,
  recordPersonalDataAccess,
} from '@banshishi/core';
import {
  getPGliteEventStore,
  getPGliteSubjectKeyStore,
  getPostgresEventStore,
  getPostgresSubjectKeyStore,
} from '@banshishi/store-postgres';
import * as E from 'fp-ts/lib/Either.js';
import { actorOf, forgetting, listSubjects, type Outcome, revealing } from './office.js';

const usage = `usage:
  office subjects --person <personId> | --stream <streamId>
  office forget --subject <id> --basis <purpose_achieved|retention_expired|consent_withdrawn|unlawful_processing|other_legal_ground> --reference <case> --as <personId> [--unit <unitId>]
  office reveal <streamId> --purpose <decide_rule|contact_resident|audit_export|subject_access|verification> --statement "…" --as <personId> [--role <role>] [--unit <unitId>]
  add --json for JSON`;

const main = async (): Promise<number> => {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: Object.fromEntries(
        ['person', 'stream', 'subject', 'basis', 'reference', 'as', 'unit', 'role', 'purpose', 'statement'].map((k) => [
          k,
          { type: 'string' as const },
        ]),
      ) as Record<string, { type: 'string' }>,
    } as never);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return 2;
  }
  const json = process.argv.includes('--json');
  const args = parsed.values as Record<string, string | undefined>;
  const [command, target] = parsed.positionals.filter((p) => p !== '--json');
  if (command !== 'subjects' && command !== 'forget' && command !== 'reveal') {
    process.stderr.write(`${usage}\n`);
    return 2;
  }

  const eventSchema = process.env.EVENT_STORE_SCHEMA ?? 'event_store';
  const keySchema = process.env.KEY_STORE_SCHEMA ?? 'personal_keys';
  const url = process.env.DATABASE_URL;
  let pgliteDb: { close(): Promise<void> } | null = null;
  const opened =
    url === undefined
      ? await (async () => {
          const { PGlite } = await import('@electric-sql/pglite');
          const pglite = await PGlite.create(process.env.PGLITE_DIR ?? '.data/banshishi');
          pgliteDb = pglite;
          return {
            store: await getPGliteEventStore({ pglite, schema: eventSchema }),
            keys: await getPGliteSubjectKeyStore({ pglite, schema: keySchema }),
          };
        })()
      : {
          store: await getPostgresEventStore({
            connectionString: url,
            schema: eventSchema,
            applicationName: 'banshishi-office',
          }),
          keys: await getPostgresSubjectKeyStore({ connectionString: url, schema: keySchema }),
        };
  try {
    await reapplyForgetting(opened);
    // Every reveal is recorded in the log (PersonalDataRevealed, access-<subject>) before a value is opened.
    const sealer: PersonalDataSealer = createCorePersonalDataSealer({
      keys: opened.keys,
      onReveal: recordPersonalDataAccess({ store: opened.store, sealer: () => sealer }),
    });
    const deps = { ...opened, sealer };
    let outcome: Outcome;
    if (command === 'subjects') {
      outcome = await listSubjects(deps, {
        ...(args.person === undefined ? {} : { person: args.person }),
        ...(args.stream === undefined ? {} : { stream: args.stream }),
      });
    } else {
      const actor = actorOf(args.as, args.role, args.unit);
      if (E.isLeft(actor)) outcome = actor;
      else if (command === 'forget')
        outcome = await forgetting(deps, {
          subject: args.subject ?? '',
          basis: args.basis ?? '',
          reference: args.reference ?? '',
          actor: actor.right,
        });
      else
        outcome = await revealing(deps, {
          stream: target ?? '',
          purpose: args.purpose ?? '',
          statement: args.statement ?? '',
          actor: actor.right,
        });
    }
    if (E.isLeft(outcome)) {
      process.stdout.write(
        json
          ? `${JSON.stringify({ refused: outcome.left })}\n`
          : `refused (${outcome.left.rule}): ${outcome.left.message}\n`,
      );
      return outcome.left.code === 'validation' ? 2 : 1;
    }
    process.stdout.write(
      json ? `${JSON.stringify(outcome.right.json, null, 2)}\n` : `${outcome.right.lines.join('\n')}\n`,
    );
    return 0;
  } finally {
    await opened.store.close();
    await opened.keys.close();
    if (pgliteDb !== null) await (pgliteDb as { close(): Promise<void> }).close();
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`office: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
