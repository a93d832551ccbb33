// The projections the projector can run, by name.
import type { AnyProjection } from '../runtime/projection.js';
import { directoryProjection } from './directory.js';
import { disclosureProjection } from './disclosure.js';
import { enterpriseServiceProjection } from './enterprise-service.js';
import { evaluationProjection } from './evaluation.js';
import { pairingProjection } from './pairing.js';
import { raisersProjection } from './raisers.js';
import { visitsProjection } from './visits.js';

export {
  directoryProjection,
  disclosureProjection,
  enterpriseServiceProjection,
  evaluationProjection,
  pairingProjection,
  raisersProjection,
  visitsProjection,
};

export const projections = {
  directory: directoryProjection,
  disclosure: disclosureProjection,
  evaluation: evaluationProjection,
  pairing: pairingProjection,
  raisers: raisersProjection,
  visits: visitsProjection,
  service: enterpriseServiceProjection,
} as const;

export type ProjectionName = keyof typeof projections;
export const projectionNames = Object.keys(projections) as ProjectionName[];

export const projectionList: readonly AnyProjection[] = Object.values(projections);
