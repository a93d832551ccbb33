// The reads a client needs to act: who am I, an item's state and revision (folded from its events, so it
// is never behind), my claims, what I may claim, the items I raised and the office's queue (from the read
// models, with how fresh they are), and
// a raiser's or wisher's contact details — allowed to the claimant and the office only, and recorded in
// the log before a value is opened.

import { randomUUID } from 'node:crypto';
import {
  accessStreamId,
  coreEventDefinitions,
  createCorePersonalDataSealer,
  type DirectoryView,
  decodeWith,
  mapPersonal,
  type RevealPurpose,
  recordPersonalDataAccess,
} from '@banshishi/core';
import {
  claimableFor,
  claimsOf,
  itemsRaisedBy,
  officeQueue,
  type ProblemWorkRow,
  type WishWorkRow,
} from '@banshishi/read-models';
import type { Request, Response } from 'express';
import * as E from 'fp-ts/lib/Either.js';
import { isOfficial, officeDistricts, type Principal } from '../actors.js';
import { type ItemKind, type LoadedItem, loadItem } from '../lifecycles.js';
import { unknownFieldsOf } from '../openapi/json-schema.js';
import { apiBase } from '../routes/command-routes.js';
import { PersonalDataReadData } from '../routes/read-routes.js';
import type { ApiContext } from './context.js';
import { type ApiError, apiRefusal, apiRules, fail, fromDomain } from './problem-details.js';
import { bodyObject, pathParameters, textRefusal } from './request.js';

const orFail = <A>(either: E.Either<ApiError, A>): A => (E.isLeft(either) ? fail(either.left) : either.right);

const paramOf: Readonly<Record<ItemKind, string>> = { problem: 'problemId', wish: 'wishId' };
const collectionOf: Readonly<Record<ItemKind, string>> = { problem: 'problems', wish: 'wishes' };

const notFound = (kind: ItemKind, id: string): ApiError =>
  apiRefusal('not_found', `${kind}.not_found`, `${kind} ${id} does not exist`);

/** The resident or enterprise an item belongs to, if they are in the directory. */
const ownerOf = (kind: ItemKind, state: LoadedItem['state']): string | null => {
  if (kind === 'problem')
    return ((state.raiser as { personId?: string | null } | null)?.personId ?? null) as string | null;
  return ((state.wisher as { personId?: string | null } | undefined)?.personId ?? null) as string | null;
};

/**
 * Officials read any item; a resident or an enterprise only their own. Anyone else is told it does not
 * exist, so ids cannot be probed.
 */
const mayRead = (directory: DirectoryView, principal: Principal, kind: ItemKind, item: LoadedItem): boolean =>
  isOfficial(directory, principal.personId) || ownerOf(kind, item.state) === principal.personId;

const loadVisible = async (ctx: ApiContext, req: Request, res: Response, kind: ItemKind) => {
  const principal = res.locals.principal as Principal;
  const id = orFail(pathParameters(req, [paramOf[kind]]))[paramOf[kind]]!;
  const loaded = await loadItem(ctx.store, kind, id);
  if (E.isLeft(loaded)) fail(fromDomain(loaded.left));
  const item = (loaded as E.Right<LoadedItem>).right;
  const { directory } = await ctx.directoryContext();
  if (item.state.status === 'none' || !mayRead(directory, principal, kind, item)) fail(notFound(kind, id));
  return { id, item, principal, directory };
};

export const itemEndpoint = (ctx: ApiContext, kind: ItemKind) => async (req: Request, res: Response) => {
  const { id, item } = await loadVisible(ctx, req, res, kind);
  const etag = `"${item.revision}"`;
  res.set('ETag', etag).set('Cache-Control', 'private, no-cache');
  // Compared here rather than by express's `req.fresh`, which ignores If-None-Match whenever the request
  // says `Cache-Control: no-cache`, as fetch and browsers do on every revalidation.
  const ifNoneMatch = req.get('if-none-match');
  if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    res.status(304).end();
    return;
  }
  res.json({
    streamId: item.streamId,
    revision: item.revision,
    status: item.state.status,
    state: item.state,
    freshness: { source: 'events', asOf: ctx.clock().toISOString() },
    links: {
      self: `${apiBase}/${collectionOf[kind]}/${encodeURIComponent(id)}`,
      board: `${ctx.boardUrl}/${collectionOf[kind]}/${encodeURIComponent(id)}`,
    },
  });
};

export const meEndpoint = (ctx: ApiContext) => async (_req: Request, res: Response) => {
  const principal = res.locals.principal as Principal;
  const { directory } = await ctx.directoryContext();
  res.set('Cache-Control', 'private, no-store').json({
    personId: principal.personId,
    roles: directory.rolesOf(principal.personId).map((h) => ({
      role: h.role,
      unitId: h.unitId,
      unitName: directory.unit(h.unitId)?.name ?? null,
      since: h.since,
    })),
    clientId: principal.clientId ?? null,
    mayBackdate: ctx.maxBackdateMsOf(principal) !== undefined,
  });
};

const problemWork = (r: ProblemWorkRow) => ({
  problemId: r.problem_id,
  title: r.title,
  status: r.status,
  grade: r.grade,
  unitId: r.unit_id,
  unitName: r.unit_name,
  solicitedAt: r.solicited_at,
  claimedAt: r.claimed_at,
  promisedBy: r.promised_by,
  overdue: r.overdue,
  solvedAt: r.solved_at,
  reworkCount: r.rework_count,
  supervisionCount: r.supervision_count,
  lastVerdict: r.last_verdict,
});

const wishWork = (r: WishWorkRow) => ({
  wishId: r.wish_id,
  category: r.category,
  status: r.status,
  unitId: r.unit_id,
  unitName: r.unit_name,
  collectedAt: r.collected_at,
  claimedAt: r.claimed_at,
  consent: r.consent,
  fulfilledAt: r.fulfilled_at,
  confirmedAt: r.confirmed_at,
});

const workAnswer = async (
  ctx: ApiContext,
  res: Response,
  work: { problems: ProblemWorkRow[]; wishes: WishWorkRow[] },
  asOf: string,
) => {
  const principal = res.locals.principal as Principal;
  const context = await ctx.directoryContext({
    metadata: { actor: { personId: principal.personId, role: 'member' }, now: asOf },
  });
  const isMember = context.directory.rolesOf(principal.personId).some((h) => h.role === 'member');
  const freshness = await ctx.freshness();
  res.set('Cache-Control', 'private, no-store').json({
    problems: work.problems.map(problemWork),
    wishes: work.wishes.map(wishWork),
    wishClaims: isMember
      ? { open: context.wishClaims.openClaimsOf(principal.personId), limit: context.wishClaims.limit }
      : null,
    freshness: { source: 'read_models', asOf, ...freshness },
  });
};

export const myClaimsEndpoint = (ctx: ApiContext) => async (_req: Request, res: Response) => {
  const principal = res.locals.principal as Principal;
  const asOf = ctx.clock().toISOString();
  await workAnswer(ctx, res, await claimsOf(ctx.readModels, principal.personId, asOf), asOf);
};

export const myClaimableEndpoint = (ctx: ApiContext) => async (_req: Request, res: Response) => {
  const principal = res.locals.principal as Principal;
  const asOf = ctx.clock().toISOString();
  const { directory } = await ctx.directoryContext();
  const held = directory.rolesOf(principal.personId);
  const work = await claimableFor(ctx.readModels, {
    problemUnits: held.filter((h) => h.role === 'secretary' || h.role === 'department_handler').map((h) => h.unitId),
    wishDistricts: held.filter((h) => h.role === 'member').map((h) => h.unitId),
    asOf,
  });
  await workAnswer(ctx, res, work, asOf);
};

/**
 * 我的诉求: the items the caller raised, through the read models' non-public map of raisers. A resident or
 * an enterprise sees their own; anyone else the items where they are the raiser, usually none.
 */
export const myItemsEndpoint = (ctx: ApiContext) => async (_req: Request, res: Response) => {
  const principal = res.locals.principal as Principal;
  const asOf = ctx.clock().toISOString();
  const [items, freshness] = await Promise.all([
    itemsRaisedBy(ctx.readModels, principal.personId, { asOf }),
    ctx.freshness(),
  ]);
  res.set('Cache-Control', 'private, no-store').json({
    problems: items.problems.map(problemWork),
    wishes: items.wishes.map(wishWork),
    freshness: { source: 'read_models', asOf, ...freshness },
  });
};

/** 派单: the office's queue over the districts where the caller holds the office role; anyone else is refused. */
export const myQueueEndpoint = (ctx: ApiContext) => async (_req: Request, res: Response) => {
  const principal = res.locals.principal as Principal;
  const asOf = ctx.clock().toISOString();
  const { directory } = await ctx.directoryContext();
  const units = officeDistricts(directory, principal.personId);
  if (units.length === 0)
    fail(
      apiRefusal(
        'forbidden',
        apiRules.queueNotOffice,
        `${principal.personId} holds the office role (领导小组办公室) nowhere; the queue is the office's`,
      ),
    );
  const [queue, freshness] = await Promise.all([officeQueue(ctx.readModels, { units, asOf }), ctx.freshness()]);
  res.set('Cache-Control', 'private, no-store').json({
    units,
    toRoute: queue.toRoute.map(problemWork),
    overdue: queue.overdue.map(problemWork),
    reopened: queue.reopened.map(problemWork),
    awaitingVerdict: queue.awaitingVerdict.map(problemWork),
    toShowcase: queue.toShowcase.map(wishWork),
    unclaimedWishes: queue.unclaimedWishes.map(wishWork),
    freshness: { source: 'read_models', asOf, ...freshness },
  });
};

/** The item's personal fields, from the revealed events, keyed `ProblemSolicited@0.raiser.phone`. */
const personalFieldsOf = (
  events: readonly { readonly type: string; readonly revision: number; readonly data: unknown }[],
) => {
  const fields: Record<string, unknown> = {};
  for (const event of events) {
    const definition = coreEventDefinitions.find((d) => d.type === event.type);
    if (definition === undefined) continue;
    mapPersonal(definition.codec, event.data, (value, path) => {
      fields[`${event.type}@${event.revision}.${path}`] = value;
      return value;
    });
  }
  return fields;
};

/**
 * 查看联系方式: the current claimant (while the item is claimed or solved) or the office of the district
 * it lies in. The purpose is recorded as PersonalDataRevealed in the subject's access stream before any
 * value is opened; if that record cannot be written, nothing is shown.
 */
export const personalDataEndpoint = (ctx: ApiContext, kind: ItemKind) => async (req: Request, res: Response) => {
  const { id, item, principal, directory } = await loadVisible(ctx, req, res, kind);
  const body = orFail(bodyObject(req));
  const unknown = unknownFieldsOf(PersonalDataReadData, body);
  if (unknown.length > 0)
    fail(
      apiRefusal('validation', apiRules.unknownFields, `unknown fields: ${unknown.join(', ')}`, {
        fields: unknown.map((path) => ({ path, message: `${path}: not a field of a personal-data read` })),
      }),
    );
  const oddText = textRefusal(body);
  if (oddText !== undefined) fail(oddText);
  const decoded = decodeWith(PersonalDataReadData, 'body')(body);
  if (E.isLeft(decoded)) fail(fromDomain(decoded.left));
  const { purpose, statement } = (decoded as E.Right<{ purpose: RevealPurpose['code']; statement?: string }>).right;

  const claimant =
    (item.state.claim as { claimantId?: string } | null | undefined)?.claimantId ?? item.state.claimantId;
  const isClaimant = claimant === principal.personId && ['claimed', 'solved', 'fulfilled'].includes(item.state.status);
  const unitId = String(item.state.unitId);
  const office = officeDistricts(directory, principal.personId).some((d) => directory.isWithin(unitId, d));
  if (!isClaimant && !office)
    fail(
      apiRefusal(
        'forbidden',
        apiRules.personalDataNotAllowed,
        `only the current claimant of ${kind} ${id} and the office of its district may read its personal data`,
      ),
    );

  const recorded: { streamId: string; eventId: string }[] = [];
  const ids: string[] = [];
  const record = recordPersonalDataAccess({
    store: ctx.store,
    sealer: () => sealer,
    clock: ctx.clock,
    newId: () => {
      const next = randomUUID();
      ids.push(next);
      return next;
    },
  });
  const sealer = createCorePersonalDataSealer({
    keys: ctx.keys,
    onReveal: async (access) => {
      await record(access);
      // The first id is the correlation id; each subject's record takes the next.
      for (const [i, subject] of access.subjects.entries())
        recorded.push({ streamId: accessStreamId(subject), eventId: ids[i + 1]! });
    },
  });
  const actor = {
    personId: principal.personId,
    role: isClaimant ? (kind === 'problem' ? 'secretary' : 'member') : 'office',
  } as const;
  const revealed = await sealer.reveal(item.stored, {
    code: purpose,
    statement: statement ?? `${purpose} via the API`,
    actor:
      isClaimant && kind === 'problem'
        ? {
            ...actor,
            role: (item.state.claim as { role?: 'secretary' | 'department_handler' } | null)?.role ?? 'secretary',
          }
        : actor,
  });
  if (E.isLeft(revealed)) fail(fromDomain(revealed.left));
  res.set('Cache-Control', 'no-store').json({
    streamId: item.streamId,
    fields: personalFieldsOf((revealed as E.Right<typeof item.stored>).right as never),
    recordedAs: recorded,
  });
};
