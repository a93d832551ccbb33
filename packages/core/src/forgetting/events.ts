// 遗忘: the record that a data subject's key was destroyed (docs/privacy.md, "Forgetting a person"). One
// stream per subject, `forgotten-<subject>`. It holds no personal data: the subject's pseudonymous id,
// the legal ground, the office's case reference; who did it and when are the event's actor and time.
import * as t from 'io-ts';
import { createEventRegistry, defineEvent, type EventOf } from '../codec/registry.js';

export const forgottenStreamId = (subject: string): string => `forgotten-${subject}`;

/** The grounds on which personal information must be deleted, after PIPL art. 47 (个人信息保护法第四十七条). */
export const ForgettingBasis = t.keyof(
  {
    /** (一) the purpose is achieved, cannot be achieved, or the data is no longer needed for it. */
    purpose_achieved: null,
    /** (二) the service is no longer provided, or the retention period has expired. */
    retention_expired: null,
    /** (三) the person withdrew their consent. */
    consent_withdrawn: null,
    /** (四) the processing broke a law, regulation or agreement. */
    unlawful_processing: null,
    /** (五) another ground laid down by law or regulation. */
    other_legal_ground: null,
  },
  'ForgettingBasis',
);
export type ForgettingBasis = t.TypeOf<typeof ForgettingBasis>;

export const SubjectForgotten = defineEvent(
  'SubjectForgotten',
  t.type({
    subject: t.string,
    basis: ForgettingBasis,
    /** The office's case number for the request (申请编号), letters, digits and . _ : / - only. */
    reference: t.string,
  }),
);

export const forgettingEvents = [SubjectForgotten] as const;
export type SubjectForgotten = EventOf<typeof SubjectForgotten>;
export type ForgettingEvent = SubjectForgotten;
export const forgettingEventRegistry = createEventRegistry(forgettingEvents);
