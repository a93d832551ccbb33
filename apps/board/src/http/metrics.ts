// Prometheus metrics of the board: requests by route and status, and how long they took. Routes are
// labelled by their pattern (`/problems/:id`), never by the id, so the label set stays small.
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export const boardMetrics = () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'banshishi_board_request_duration_seconds',
    help: 'Time to answer a board request, by route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const middleware = (req: Request, res: Response, next: NextFunction) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // A cached answer carries the pattern of the route that made it (response-cache.ts).
      const route = (res.locals.route as string | undefined) ?? (req.route as { path?: string } | undefined)?.path;
      const pattern =
        typeof route === 'string'
          ? `${req.baseUrl}${route}`
          : req.path.startsWith('/static/')
            ? '/static'
            : 'unmatched';
      end({ method: req.method, route: pattern, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware };
};
