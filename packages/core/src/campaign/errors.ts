// Every refusal of a campaign, with its stable rule name; docs/domain.md lists them.
import { conflict, type DomainError, invalidState, notFound, validationError } from '../errors.js';

export const campaignRules = {
  notOffice: 'campaign.not_office',
  outsideOfficeDistrict: 'campaign.outside_office_district',
  alreadyLaunched: 'campaign.already_launched',
  notFound: 'campaign.not_found',
  closed: 'campaign.closed',
  nameRequired: 'campaign.name_required',
  districtNotFound: 'campaign.district_not_found',
  invalidDate: 'campaign.invalid_date',
  periodEndNotAfterStart: 'campaign.period_end_not_after_start',
  targetNotPositive: 'campaign.target_not_positive',
  quotaNotPositive: 'campaign.quota_not_positive',
  reasonRequired: 'campaign.reason_required',
} as const;

const r = campaignRules;

export const campaignErrors = {
  alreadyLaunched: (campaignId: string): DomainError =>
    conflict(r.alreadyLaunched, `campaign ${campaignId} is already launched`, { campaignId }),
  notFound: (campaignId: string): DomainError =>
    notFound(r.notFound, `campaign ${campaignId} was never launched`, { campaignId }),
  closed: (campaignId: string): DomainError =>
    invalidState(r.closed, `campaign ${campaignId} is closed and accepts no changes`, { campaignId }),
  nameRequired: (): DomainError => validationError(r.nameRequired, 'a campaign needs a name'),
  districtNotFound: (districtId: string): DomainError =>
    notFound(r.districtNotFound, `${districtId} is not a registered, active district`, { districtId }),
  invalidDate: (field: string, value: string): DomainError =>
    validationError(r.invalidDate, `${field}: expected a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`, {
      field,
      value,
    }),
  periodEndNotAfterStart: (from: string, to: string): DomainError =>
    validationError(r.periodEndNotAfterStart, `the campaign period must end after it starts (${from} → ${to})`, {
      from,
      to,
    }),
  targetNotPositive: (target: string, value: number): DomainError =>
    validationError(r.targetNotPositive, `target ${target} must be a positive whole number, got ${value}`, {
      target,
      value,
    }),
  quotaNotPositive: (quota: string, value: number): DomainError =>
    validationError(r.quotaNotPositive, `quota ${quota} must be a positive whole number, got ${value}`, {
      quota,
      value,
    }),
  reasonRequired: (): DomainError =>
    validationError(r.reasonRequired, 'adjusting a campaign needs a reason, for the record auditors read'),
};
