// Prometheus metrics of the projector: how far behind each projection is (events and seconds), how fast
// it goes, and how often it had to retry. Served on /metrics.
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const projectorMetrics = () => {
  const registry = new Registry();
  const labelNames = ['projection', 'mode'] as const;
  return {
    registry,
    lagEvents: new Gauge({
      name: 'banshishi_projection_lag_events',
      help: 'Events in the store after the last one the projection applied (all categories).',
      labelNames,
      registers: [registry],
    }),
    lagSeconds: new Gauge({
      name: 'banshishi_projection_lag_seconds',
      help: 'Store time between the newest event in the store and the last event the projection applied.',
      labelNames,
      registers: [registry],
    }),
    position: new Gauge({
      name: 'banshishi_projection_position',
      help: 'Global position of the last event the projection applied.',
      labelNames,
      registers: [registry],
    }),
    events: new Counter({
      name: 'banshishi_projection_events_total',
      help: 'Events read by the projection (applied or skipped).',
      labelNames,
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'banshishi_projection_batch_seconds',
      help: 'Time to apply one batch and commit its checkpoint.',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    retries: new Counter({
      name: 'banshishi_projection_retries_total',
      help: 'Retries after transient database or store errors.',
      labelNames: ['projection'],
      registers: [registry],
    }),
  };
};

export type ProjectorMetrics = ReturnType<typeof projectorMetrics>;

export const serveMetrics = (registry: Registry, port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
