// 遗忘: the record that a data subject's key was destroyed (docs/privacy.md, "Forgetting a person"). One
// stream per subject, `forgotten-<subject>`. It holds no personal data: the subject's pseudonymous id,
// the legal ground, the office's case reference; who did it and when are the event's actor and time.
import * as t from 'io-ts';
import { personal } from '../codec/personal.js';
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

/** Where the reads of one subject's personal data are recorded: `access-<subject>`. */
export const accessStreamId = (subject: string): string => `access-${subject}`;

/**
 * One reveal of a subject's personal data: who (the actor), when (business time), why (the purpose's code and
 * statement) and which events. The statement is the reader's own words and may name the person, so it is
 * sealed under the subject's key like their data: forgetting them shreds the record of why they were read too.
 */
export const PersonalDataRevealed = defineEvent(
  'PersonalDataRevealed',
  t.exact(
    t.intersection([
      t.type({
        subject: t.string,
        purpose: t.string,
        events: t.array(t.exact(t.type({ streamId: t.string, revision: t.number }))),
      }),
      t.partial({ statement: personal(t.string, 'free_text_contact') }),
    ]),
  ),
  {
    schemaVersion: 2,
    upcasters: { 1: (data) => data },
    sealedSince: 2,
    dataSubject: (data, streamId) => {
      const subject = (data as { subject?: unknown } | null)?.subject;
      return typeof subject === 'string' ? subject : streamId;
    },
  },
);

export const forgettingEvents = [SubjectForgotten, PersonalDataRevealed] as const;
export type SubjectForgotten = EventOf<typeof SubjectForgotten>;
export type PersonalDataRevealed = EventOf<typeof PersonalDataRevealed>;
export type ForgettingEvent = SubjectForgotten | PersonalDataRevealed;
export const forgettingEventRegistry = createEventRegistry(forgettingEvents);
