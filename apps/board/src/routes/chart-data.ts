// The small JSON API the charts draw from: the same rows as the tables beside them, so a chart never
// shows a figure the table does not. Every response says as of when its figures are.
import { campaignProgress } from '@banshishi/read-models';
import { Router } from 'express';
import { type BoardDeps, localMoment } from '../http/deps.js';
import { directoryCache } from '../http/directory-cache.js';
import { BadParameter } from '../http/errors.js';
import { identifier, known, param } from '../http/params.js';
import { cachedBriefly } from '../http/render.js';

export const chartDataRoutes = (deps: BoardDeps): Router => {
  const router = Router();
  const directory = directoryCache(deps);
  const rm = deps.readModels;

  router.get('/api/charts/progress', async (req, res) => {
    const dir = await directory();
    const campaignId = known('campaign', param(req, 'campaign', identifier), (id) =>
      dir.campaigns.some((c) => c.campaign_id === id),
    );
    if (campaignId === undefined) throw new BadParameter('campaign', 'is required');
    const asOf = localMoment(deps.clock());
    const days = await campaignProgress(rm, { campaignId, asOf });
    cachedBriefly(res);
    res.json({ asOf, campaignId, rows: days });
  });

  return router;
};
