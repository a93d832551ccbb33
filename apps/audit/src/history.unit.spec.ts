// History and state never print a resident's personal data that a log holds in the clear (events written
// before sealing began, or a log loaded in the clear, as testkit's demo history is): only the recorded reveal
// path shows personal data, and it opens only sealed values.
import { categoryOf } from '@banshishi/core';
import type { AuditStream } from '@banshishi/store-postgres';
import { demoHistory, personalSubstrings } from '@banshishi/testkit';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { buildHistory, historyLines } from './history.js';
import { readStateAt, stateLines } from './state.js';
import { storeAuditLog } from './store-audit-log.js';

describe('history and state of a log that holds personal data in the clear', () => {
  it('show none of it, in lines or in JSON', async () => {
    const { store, events, manifest } = await demoHistory(4, 300);
    const streams = new Map<string, AuditStream>();
    await storeAuditLog(store).eachStream((s) => {
      streams.set(s.streamId, s);
    });
    const items = [...new Set(events.map((e) => e.streamId))].filter((s) =>
      ['problem', 'wish', 'person'].includes(categoryOf(s)),
    );
    const secrets = personalSubstrings(manifest);
    expect(secrets.length).toBeGreaterThan(10);
    let shown = '';
    for (const streamId of items) {
      const history = await buildHistory({ store, auditStream: async (id) => streams.get(id)! }, streamId);
      if (E.isLeft(history)) throw new Error(history.left.message);
      shown += `${historyLines(history.right).join('\n')}\n${JSON.stringify(history.right)}\n`;
      const state = await readStateAt(store, streamId, { atRevision: 1_000_000 });
      if (E.isLeft(state)) throw new Error(state.left.message);
      shown += `${stateLines(state.right).join('\n')}\n`;
    }
    for (const secret of secrets) expect(shown).not.toContain(secret);
  });
});
