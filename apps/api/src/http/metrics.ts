// Prometheus metrics of the API: requests by route pattern and status and how long they took, and the
// commands stored or refused by rule, so a dashboard shows which rules clients run into.
import type { NextFunction, Request, Response } from 'express';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export const apiMetrics = () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'banshishi_api_request_duration_seconds',
    help: 'Time to answer an API request, by route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'banshishi_api_refusals_total',
    help: 'Requests refused, by status and the rule that refused.',
    labelNames: ['status', 'rule'] as const,
    registers: [registry],
  });
  const middleware = (req: Request, res: Response, next: NextFunction) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // Labelled by pattern (`/api/v1/problems/:problemId/claim`), never by id, so the label set stays small.
      const route = (req.route as { path?: string } | undefined)?.path;
      end({
        method: req.method,
        route: typeof route === 'string' ? route : 'unmatched',
        status: String(res.statusCode),
      });
      const rule = res.locals.refusedBy as string | undefined;
      if (rule !== undefined) refusals.inc({ status: String(res.statusCode), rule });
    });
    next();
  };
  return { registry, middleware };
};
