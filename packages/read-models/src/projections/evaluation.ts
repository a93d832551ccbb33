// 评价 facts beside the disclosure rows: every rating and every claim as it happened (a problem can be
// rated and claimed several times), and the campaigns with their targets and quotas. The rates are
// computed from these and the disclosure rows at query time (queries/evaluation.ts), so response windows
// and weights are configuration, not something baked into stored rows.
import {
  type CampaignEvent,
  calendarDateOf,
  campaignEvents,
  createEventRegistry,
  type ProblemEvent,
  problemEvents,
  type WishEvent,
  wishEvents,
} from '@banshishi/core';
import type { Transaction } from 'kysely';
import { defineProjection } from '../runtime/projection.js';
import { insertOnce, upsertRows } from './rows.js';

export interface ProblemRatingsTable {
  problem_id: string;
  revision: number;
  kind: string;
  verdict: string;
  evaluated_at: string;
}

export interface ClaimsTable {
  stream_id: string;
  revision: number;
  item_kind: 'problem' | 'wish';
  item_id: string;
  claimant_id: string;
  claimed_at: string;
  /** The local calendar date of the claim, for counting within a campaign's period. */
  claimed_date: string;
}

export interface CampaignsTable {
  campaign_id: string;
  name: string;
  district_id: string;
  period_from: string;
  period_to: string;
  target_problems_solved: number;
  target_wishes_fulfilled: number;
  quota_secretary_problems: number;
  quota_member_wishes: number;
  closed_at: string | null;
}

export interface EvaluationTables {
  problem_ratings: ProblemRatingsTable;
  claims: ClaimsTable;
  campaigns: CampaignsTable;
}

type EvaluationEvent = ProblemEvent | WishEvent | CampaignEvent;
// Only the item events this projection counts are decoded; the rest of the problem and wish log is skipped
// before decoding, which is most of it.
const countedItemEvents = new Set(['ProblemEvaluated', 'ProblemClaimed', 'WishClaimed']);
const registry = createEventRegistry([
  ...[...problemEvents, ...wishEvents].filter((definition) => countedItemEvents.has(definition.type)),
  ...campaignEvents,
]);

export const evaluationProjection = defineProjection<EvaluationEvent, EvaluationTables>({
  name: 'evaluation',
  version: 1,
  categories: ['problem', 'wish', 'campaign'],
  events: registry,
  tables: {
    problem_ratings: async (db) => {
      await db.schema
        .createTable('problem_ratings')
        .addColumn('problem_id', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('evaluated_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('problem_ratings_pk', ['problem_id', 'revision'])
        .execute();
    },
    claims: async (db) => {
      await db.schema
        .createTable('claims')
        .addColumn('stream_id', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('item_kind', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('claimant_id', 'text', (c) => c.notNull())
        .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
        .addColumn('claimed_date', 'date', (c) => c.notNull())
        .addPrimaryKeyConstraint('claims_pk', ['stream_id', 'revision'])
        .execute();
      await db.schema.createIndex('claims_claimant').on('claims').columns(['claimant_id', 'item_kind']).execute();
    },
    campaigns: async (db) => {
      await db.schema
        .createTable('campaigns')
        .addColumn('campaign_id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('district_id', 'text', (c) => c.notNull())
        .addColumn('period_from', 'date', (c) => c.notNull())
        .addColumn('period_to', 'date', (c) => c.notNull())
        .addColumn('target_problems_solved', 'integer', (c) => c.notNull())
        .addColumn('target_wishes_fulfilled', 'integer', (c) => c.notNull())
        .addColumn('quota_secretary_problems', 'integer', (c) => c.notNull())
        .addColumn('quota_member_wishes', 'integer', (c) => c.notNull())
        .addColumn('closed_at', 'timestamptz')
        .execute();
    },
  },
  async apply(trx, events, build) {
    const t = { trx: trx as unknown as Transaction<unknown>, schema: build.schema };
    const ratings: ProblemRatingsTable[] = [];
    const claims: ClaimsTable[] = [];
    const campaigns = new Map<string, CampaignsTable>();
    const campaign = async (id: string) =>
      campaigns.get(id) ??
      (await trx.selectFrom('campaigns').selectAll().where('campaign_id', '=', id).executeTakeFirst());
    for (const e of events) {
      switch (e.type) {
        case 'ProblemEvaluated':
          ratings.push({
            problem_id: e.data.problemId,
            revision: e.revision,
            kind: e.data.kind,
            verdict: e.data.verdict,
            evaluated_at: e.occurredAt,
          });
          break;
        case 'ProblemClaimed':
          claims.push({
            stream_id: e.streamId,
            revision: e.revision,
            item_kind: 'problem',
            item_id: e.data.problemId,
            claimant_id: e.data.claimantId,
            claimed_at: e.occurredAt,
            claimed_date: calendarDateOf(e.occurredAt),
          });
          break;
        case 'WishClaimed':
          claims.push({
            stream_id: e.streamId,
            revision: e.revision,
            item_kind: 'wish',
            item_id: e.data.wishId,
            claimant_id: e.data.memberId,
            claimed_at: e.occurredAt,
            claimed_date: calendarDateOf(e.occurredAt),
          });
          break;
        case 'CampaignLaunched':
          campaigns.set(e.data.campaignId, {
            campaign_id: e.data.campaignId,
            name: e.data.name,
            district_id: e.data.districtId,
            period_from: e.data.period.from.slice(0, 10),
            period_to: e.data.period.to.slice(0, 10),
            target_problems_solved: e.data.targets.problemsSolved,
            target_wishes_fulfilled: e.data.targets.wishesFulfilled,
            quota_secretary_problems: e.data.quotas.perSecretaryProblems,
            quota_member_wishes: e.data.quotas.perMemberWishes,
            closed_at: null,
          });
          break;
        case 'CampaignTargetsAdjusted': {
          const c = await campaign(e.data.campaignId);
          if (c === undefined) break;
          campaigns.set(c.campaign_id, {
            ...c,
            target_problems_solved: e.data.targets.problemsSolved,
            target_wishes_fulfilled: e.data.targets.wishesFulfilled,
            quota_secretary_problems: e.data.quotas.perSecretaryProblems,
            quota_member_wishes: e.data.quotas.perMemberWishes,
          });
          break;
        }
        case 'CampaignClosed': {
          const c = await campaign(e.data.campaignId);
          if (c !== undefined) campaigns.set(c.campaign_id, { ...c, closed_at: e.occurredAt });
          break;
        }
        default:
          break;
      }
    }
    await insertOnce(t, 'problem_ratings', ['problem_id', 'revision'], ratings);
    await insertOnce(t, 'claims', ['stream_id', 'revision'], claims);
    await upsertRows(t, 'campaigns', ['campaign_id'], [...campaigns.values()]);
  },
});
