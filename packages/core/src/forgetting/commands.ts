import * as t from 'io-ts';
import type { Command } from '../decider.js';
import { ForgettingBasis } from './events.js';

/** Subject ids are pseudonymous: `person:<personId>`, `<streamId>#raiser`, `<streamId>#wisher`, `person-<id>`. */
export const isSubjectId = (u: unknown): u is string =>
  typeof u === 'string' && /^[A-Za-z0-9][A-Za-z0-9._:#-]{0,250}$/.test(u);
export const isCaseReference = (u: unknown): u is string =>
  typeof u === 'string' && /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/.test(u);

export const ForgetSubjectData = t.exact(t.type({ subject: t.string, basis: ForgettingBasis, reference: t.string }));
export type ForgetSubjectData = t.TypeOf<typeof ForgetSubjectData>;

export type ForgetSubject = Command<'forgetSubject', ForgetSubjectData>;
export type ForgettingCommand = ForgetSubject;

export const forgettingStreamIdOf = (command: ForgettingCommand): string => `forgotten-${command.data.subject}`;
