// The campaign decider: the office (领导小组办公室) of a district launches a campaign with its period,
// targets and quotas, adjusts targets and quotas with a recorded reason, and closes it.
import * as E from 'fp-ts/lib/Either.js';
import { isIsoDate } from '../codec/dates.js';
import type { Decider } from '../decider.js';
import { officeAuthority, requireCoverage } from '../directory/authority.js';
import type { DomainError } from '../errors.js';
import type { DecisionContext } from '../handling/decision-context.js';
import { type CampaignCommand, defaultCampaignQuotas } from './commands.js';
import { campaignRules, campaignErrors as errors } from './errors.js';
import type { CampaignEvent, CampaignPeriod, CampaignQuotas, CampaignTargets } from './events.js';

export interface LaunchedCampaign {
  readonly status: 'running' | 'closed';
  readonly campaignId: string;
  readonly districtId: string;
  readonly period: CampaignPeriod;
  readonly targets: CampaignTargets;
  readonly quotas: CampaignQuotas;
}
export type CampaignState = { readonly status: 'unlaunched' } | LaunchedCampaign;

const isPositiveWhole = (n: number): boolean => Number.isSafeInteger(n) && n > 0;

const checkPeriod = (period: CampaignPeriod): E.Either<DomainError, CampaignPeriod> => {
  if (!isIsoDate(period.from)) return E.left(errors.invalidDate('period.from', period.from));
  if (!isIsoDate(period.to)) return E.left(errors.invalidDate('period.to', period.to));
  // YYYY-MM-DD strings order as the dates do.
  return period.to > period.from ? E.right(period) : E.left(errors.periodEndNotAfterStart(period.from, period.to));
};

const checkFigures = (
  targets: CampaignTargets,
  quotas: CampaignQuotas,
): E.Either<DomainError, { targets: CampaignTargets; quotas: CampaignQuotas }> => {
  for (const [name, value] of Object.entries(targets))
    if (!isPositiveWhole(value)) return E.left(errors.targetNotPositive(name, value));
  for (const [name, value] of Object.entries(quotas))
    if (!isPositiveWhole(value)) return E.left(errors.quotaNotPositive(name, value));
  return E.right({ targets, quotas });
};

// Each field is picked by name: a payload decoded by a non-exact codec may carry extra keys, and an
// explicit `undefined` in a partial change means "unchanged", not "erase".
const withTargets = (base: CampaignTargets, change: Partial<CampaignTargets> = {}): CampaignTargets => ({
  problemsSolved: change.problemsSolved ?? base.problemsSolved,
  wishesFulfilled: change.wishesFulfilled ?? base.wishesFulfilled,
});
const withQuotas = (base: CampaignQuotas, change: Partial<CampaignQuotas> = {}): CampaignQuotas => ({
  perSecretaryProblems: change.perSecretaryProblems ?? base.perSecretaryProblems,
  perMemberWishes: change.perMemberWishes ?? base.perMemberWishes,
  maxOpenWishClaimsPerMember: change.maxOpenWishClaimsPerMember ?? base.maxOpenWishClaimsPerMember,
});

const sameFigures = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean =>
  Object.keys(a).every((k) => a[k] === b[k]);

export const campaignDecider: Decider<CampaignCommand, CampaignEvent, CampaignState, DecisionContext> = {
  initialState: { status: 'unlaunched' },

  evolve: (state, event) => {
    switch (event.type) {
      case 'CampaignLaunched': {
        const { campaignId, districtId, period, targets, quotas } = event.data;
        return { status: 'running', campaignId, districtId, period, targets, quotas };
      }
      case 'CampaignTargetsAdjusted':
        return state.status === 'unlaunched'
          ? state
          : { ...state, targets: event.data.targets, quotas: event.data.quotas };
      case 'CampaignClosed':
        return state.status === 'unlaunched' ? state : { ...state, status: 'closed' };
    }
  },

  decide: (command, state, { directory }) => {
    const authority = officeAuthority(command.metadata, directory, campaignRules);
    if (E.isLeft(authority)) return authority;
    const { campaignId } = command.data;

    if (command.type === 'launchCampaign') {
      if (state.status !== 'unlaunched') return E.left(errors.alreadyLaunched(campaignId));
      const name = command.data.name.trim();
      if (name === '') return E.left(errors.nameRequired());
      const { districtId } = command.data;
      const district = directory.unit(districtId);
      if (district === undefined || district.kind !== 'district' || district.retired === true)
        return E.left(errors.districtNotFound(districtId));
      const covered = requireCoverage(authority.right, directory, districtId, campaignRules);
      if (E.isLeft(covered)) return covered;
      const period = checkPeriod(command.data.period);
      if (E.isLeft(period)) return period;
      const figures = checkFigures(
        withTargets(command.data.targets),
        withQuotas(defaultCampaignQuotas, command.data.quotas),
      );
      if (E.isLeft(figures)) return figures;
      return E.right([
        {
          type: 'CampaignLaunched',
          data: {
            campaignId,
            name,
            districtId,
            period: { from: period.right.from, to: period.right.to },
            ...figures.right,
          },
        },
      ]);
    }

    if (state.status === 'unlaunched') return E.left(errors.notFound(campaignId));
    if (state.status === 'closed') return E.left(errors.closed(campaignId));
    const covered = requireCoverage(authority.right, directory, state.districtId, campaignRules);
    if (E.isLeft(covered)) return covered;

    if (command.type === 'closeCampaign') {
      const { reason } = command.data;
      return E.right([
        { type: 'CampaignClosed', data: reason === undefined ? { campaignId } : { campaignId, reason } },
      ]);
    }

    const reason = command.data.reason.trim();
    if (reason === '') return E.left(errors.reasonRequired());
    const figures = checkFigures(
      withTargets(state.targets, command.data.targets),
      withQuotas(state.quotas, command.data.quotas),
    );
    if (E.isLeft(figures)) return figures;
    const { targets, quotas } = figures.right;
    if (sameFigures(targets, state.targets) && sameFigures(quotas, state.quotas)) return E.right([]);
    return E.right([{ type: 'CampaignTargetsAdjusted', data: { campaignId, targets, quotas, reason } }]);
  },
};
