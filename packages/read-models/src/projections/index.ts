// The projections the projector can run, by name.
import type { AnyProjection } from '../runtime/projection.js';
import { directoryProjection } from './directory.js';
import { disclosureProjection } from './disclosure.js';
import { enterpriseServiceProjection } from './enterprise-service.js';
import { evaluationProjection } from './evaluation.js';
import { raisersProjection } from './raisers.js';

export {
  directoryProjection,
  disclosureProjection,
  enterpriseServiceProjection,
  evaluationProjection,
  raisersProjection,
};

export const projections = {
  directory: directoryProjection,
  disclosure: disclosureProjection,
  evaluation: evaluationProjection,
  raisers: raisersProjection,
  service: enterpriseServiceProjection,
} as const;

export type ProjectionName = keyof typeof projections;
export const projectionNames = Object.keys(projections) as ProjectionName[];

export const projectionList: readonly AnyProjection[] = Object.values(projections);
