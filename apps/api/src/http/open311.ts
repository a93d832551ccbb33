// Open311 GeoReport v2 intake over HTTP: `POST /open311/v2/requests.json|xml`, form-encoded with the
// client's api_key, as the spec says. The form is decoded by open311/intake.ts into a 征题 recorded by the
// client's intake account; every refusal is the spec's list of {code, description} (403 for the key, 400
// for anything else). The answer waits, briefly, until the read models hold the new request, so a client
// that reads it back from the board's Open311 reads finds it.
import type { Command, CommandHandler, DomainError } from '@banshishi/core';
import { liveBuildStates, open311Services } from '@banshishi/read-models';
import type { Request, Response } from 'express';
import * as E from 'fp-ts/lib/Either.js';
import { type Open311Format, open311Answer, open311ErrorBody, serviceNoticeOf } from '../open311/answers.js';
import { decodeOpen311Request, type Open311Client, type ServiceArea } from '../open311/intake.js';
import type { ApiContext } from './context.js';

export interface Open311Intake {
  readonly clients: readonly Open311Client[];
  /** The ground each unit covers, for placing a request by its lat/long. */
  readonly areas: readonly ServiceArea[];
  /** How long an answer may wait for the read models to include the new request (default 3 s). */
  readonly readableWithinMs?: number;
}

const send = (res: Response, status: number, body: { contentType: string; body: string }) => {
  res.status(status).set('Cache-Control', 'no-store').type(body.contentType).send(body.body);
};

/** A domain refusal in the spec's terms: a 400 saying what the rule refused (403 is only for the key). */
const refusalOf = (error: DomainError) => ({ code: 400, description: `${error.rule}: ${error.message}` });

const waitUntilProjected = async (ctx: ApiContext, position: number, withinMs: number) => {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    // The 公示 tables (disclosure) are where the board's Open311 reads find requests.
    const builds = await liveBuildStates(ctx.readModels).catch(() => []);
    if ((builds.find((b) => b.projection === 'disclosure')?.position ?? -1) >= position) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

export const open311Endpoint =
  (ctx: ApiContext, solicit: CommandHandler<Command, unknown>, intake: Open311Intake) =>
  async (req: Request, res: Response): Promise<void> => {
    const format: Open311Format = req.params.format === 'xml' ? 'xml' : 'json';
    if (!req.is('application/x-www-form-urlencoded')) {
      send(
        res,
        400,
        open311ErrorBody(format, [
          { code: 400, description: 'send the request form-encoded (application/x-www-form-urlencoded)' },
        ]),
      );
      return;
    }
    const { directory } = await ctx.directoryContext();
    const services = await open311Services(ctx.readModels);
    const decoded = decodeOpen311Request(req.body, {
      clients: intake.clients,
      areas: intake.areas,
      directory,
      newProblemId: ctx.newId,
      services: services.map((s) => ({ serviceCode: s.service_code, category: s.category })),
    });
    if (E.isLeft(decoded)) {
      send(res, decoded.left.status, open311ErrorBody(format, decoded.left.errors));
      return;
    }
    const { client, data, unitName } = decoded.right;
    const handled = await solicit(
      {
        type: 'solicitProblem',
        data,
        metadata: { actor: { personId: client.personId, role: 'office' }, now: ctx.clock().toISOString() },
      },
      { correlationId: res.locals.correlationId as string },
    );
    if (E.isLeft(handled)) {
      send(res, 400, open311ErrorBody(format, [refusalOf(handled.left)]));
      return;
    }
    if (handled.right.lastPosition !== null)
      await waitUntilProjected(ctx, handled.right.lastPosition, intake.readableWithinMs ?? 3_000);
    send(
      res,
      200,
      open311Answer(format, [
        { service_request_id: data.problemId, service_notice: serviceNoticeOf(unitName), account_id: null },
      ]),
    );
  };
