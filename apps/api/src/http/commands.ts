// One express handler per command route: the request is checked and decoded once (path, body, unknown
// fields, headers), the actor found in the directory, and the command handed to its lifecycle's handler
// with the caller's If-Match and Idempotency-Key. The answer carries the item's revision as its ETag.
import { type CommandResult, canonicalEncode, decodeWith, sha256Hex, uuidFromName } from '@banshishi/core';
import type { Request, Response } from 'express';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { actorFor, type Principal } from '../actors.js';
import { type Handlers, loadItem, revealingCommands } from '../lifecycles.js';
import { unknownFieldsOf } from '../openapi/json-schema.js';
import { apiBase, type CommandRoute, rolesFor } from '../routes/command-routes.js';
import type { ApiContext } from './context.js';
import { type ApiError, apiRefusal, apiRules, fail, fromDomain } from './problem-details.js';
import {
  bodyObject,
  businessTime,
  idempotencyKey,
  ifMatch,
  pathParameters,
  textRefusal,
  withPathParameters,
} from './request.js';

const orFail = <A>(either: E.Either<ApiError, A>): A => (E.isLeft(either) ? fail(either.left) : either.right);

/** Where a route's item is read back: `/problems/{problemId}/claim` → `/problems/P-1`. */
const selfOf = (route: CommandRoute, data: Readonly<Record<string, unknown>>): string => {
  const [, collection] = route.path.split('/');
  const idField = route.pathParams[0] ?? route.generatedId ?? route.itemId ?? `${route.lifecycle}Id`;
  return `${apiBase}/${collection}/${encodeURIComponent(String(data[idField]))}`;
};

/**
 * A retry is the same request when the same person sends the same key to the same operation with the same
 * data; its fingerprint becomes the correlation id of the events it stores, so a later request with that
 * key can be told apart from the first by the events alone, with no table beside the log.
 */
const fingerprintOf = (principal: Principal, key: string, route: CommandRoute, data: unknown): string =>
  uuidFromName(`api-request\n${principal.personId}\n${key}\n${route.operationId}\n${sha256Hex(canonicalEncode(data))}`);

export const answerCommand = (
  res: Response,
  route: CommandRoute,
  data: Readonly<Record<string, unknown>>,
  result: CommandResult<unknown>,
): void => {
  const first = result.nextExpectedRevision - result.events.length + 1;
  const events = result.events.map((e, i) => ({
    eventId: e.eventId,
    type: e.type,
    revision: 'revision' in e && typeof e.revision === 'number' ? e.revision : first + i,
    occurredAt: e.occurredAt,
  }));
  // A replay reports the revision its own events reached, not whatever the item has reached since.
  const revision = result.replayed
    ? (events[events.length - 1]?.revision ?? result.nextExpectedRevision)
    : result.nextExpectedRevision;
  const self = selfOf(route, data);
  const creates = route.pathParams.length === 0;
  res.set('ETag', `"${revision}"`).set('Cache-Control', 'no-store');
  if (result.replayed) res.set('Idempotent-Replayed', 'true');
  if (creates) res.set('Location', self);
  res.status(creates && !result.replayed ? 201 : 200).json({
    streamId: result.streamId,
    revision,
    events,
    replayed: result.replayed,
    state: result.state as Record<string, unknown>,
    links: { self },
  });
};

export const commandEndpoint =
  (ctx: ApiContext, handlers: Handlers, route: CommandRoute) =>
  async (req: Request, res: Response): Promise<void> => {
    const principal = res.locals.principal as Principal;
    const params = orFail(pathParameters(req, route.pathParams));
    const body = orFail(bodyObject(req));
    const key = orFail(idempotencyKey(req));
    const expectedRevision = orFail(ifMatch(req));
    let merged = orFail(withPathParameters(body, params));
    if (route.generatedId !== undefined && merged[route.generatedId] === undefined) {
      // A creating request without an id: derived from the key, a retry creates the same item.
      const id =
        key === undefined ? ctx.newId() : uuidFromName(`api-id\n${principal.personId}\n${key}\n${route.operationId}`);
      merged = { ...merged, [route.generatedId]: id };
    }
    const unknown = unknownFieldsOf(route.codec, merged);
    if (unknown.length > 0)
      fail(
        apiRefusal('validation', apiRules.unknownFields, `unknown fields: ${unknown.join(', ')}`, {
          fields: unknown.map((path: string) => ({ path, message: `${path}: not a field of ${route.operationId}` })),
        }),
      );
    const oddText = textRefusal(merged);
    if (oddText !== undefined) fail(oddText);
    const decoded = decodeWith(route.codec as t.Type<unknown>, 'body')(merged);
    if (E.isLeft(decoded)) fail(fromDomain(decoded.left));
    const data = merged;

    // The role from the directory as last read; only when that finds none is the log read again (a role
    // granted a moment ago). The command's handler reads what is new anyway, and its decider rechecks the role.
    const roles = rolesFor(route, data);
    const soFar = actorFor(principal, ctx.directorySoFar(), roles, res.locals.acting);
    const actor = E.isRight(soFar)
      ? soFar.right
      : orFail(actorFor(principal, (await ctx.directoryContext()).directory, roles, res.locals.acting));
    const now = orFail(businessTime(req, ctx.clock(), ctx.maxBackdateMsOf(principal)));

    const correlationId = res.locals.correlationId as string;
    const handled = await handlers[route.lifecycle](
      { type: route.operationId, data: (decoded as E.Right<unknown>).right, metadata: { actor, now } },
      {
        ...(key === undefined ? {} : { idempotencyKey: `${principal.personId}/${key}` }),
        ...(expectedRevision === undefined ? {} : { expectedRevision }),
        correlationId: key === undefined ? correlationId : fingerprintOf(principal, key, route, data),
        causationId: correlationId,
      },
    );
    if (E.isLeft(handled)) fail(fromDomain(handled.left));
    const result = (handled as E.Right<CommandResult<unknown>>).right;
    if (result.replayed && key !== undefined) {
      const fingerprint = fingerprintOf(principal, key, route, data);
      if (result.events.some((e) => e.correlationId !== fingerprint))
        fail(
          apiRefusal(
            'invalid_state',
            apiRules.idempotencyKeyReused,
            'Idempotency-Key: already used for a different request; send a new key for a new request',
            {
              fields: [
                {
                  path: 'header.idempotency-key',
                  message: 'header.idempotency-key: already used for a different request',
                },
              ],
            },
          ),
        );
    }
    // A command whose rule read the item's personal data in the clear (亮梦's story check) answers with the
    // item as everyone else reads it: the reveal was for the rule, not for the caller.
    if (
      revealingCommands.has(route.operationId) &&
      (route.lifecycle === 'problem' || route.lifecycle === 'wish' || route.lifecycle === 'pairing')
    ) {
      const sealed = await loadItem(ctx.store, route.lifecycle, String(data[route.pathParams[0]!]));
      if (E.isRight(sealed)) {
        answerCommand(res, route, data, { ...result, state: sealed.right.state });
        return;
      }
    }
    answerCommand(res, route, data, result);
  };
