// Every refusal of forgetting, with its stable rule name; docs/domain.md lists them.
import { type DomainError, invalidState, validationError } from '../errors.js';

export const forgettingRules = {
  notOffice: 'forgetting.not_office',
  outsideOfficeDistrict: 'forgetting.outside_office_district',
  alreadyForgotten: 'forgetting.already_forgotten',
  invalidSubject: 'forgetting.invalid_subject',
  invalidReference: 'forgetting.invalid_reference',
} as const;

const r = forgettingRules;

export const forgettingErrors = {
  alreadyForgotten: (subject: string): DomainError =>
    invalidState(r.alreadyForgotten, `data subject ${subject} is already forgotten`, { subject }),
  invalidSubject: (subject: string): DomainError =>
    validationError(
      r.invalidSubject,
      `subject: expected a data subject id such as person:<personId> or problem-<id>#raiser, got ${JSON.stringify(subject)}`,
      { fields: ['subject'] },
    ),
  invalidReference: (reference: string): DomainError =>
    validationError(
      r.invalidReference,
      `reference: expected the office's case number (1–64 letters, digits, . _ : / -), got ${JSON.stringify(reference)}`,
      { fields: ['reference'] },
    ),
};
