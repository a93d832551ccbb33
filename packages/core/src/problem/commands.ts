// The commands of the problem lifecycle. Their data codecs are exported so the HTTP API (or any
// embedding app) decodes untrusted bodies once with `decodeWith` and hands the decider typed values.
// Codecs check shape only; every rule about content (a blank reason, a past promised date) lives in the
// decider, so a reader finds each rule in one place.
import * as t from 'io-ts';
import { isoDate } from '../codec/dates.js';
import { personal } from '../codec/personal.js';
import type { Command } from '../decider.js';
import { FieldworkId, ItemOrigin } from '../fieldwork/origin.js';
import {
  ProblemId,
  problemEvaluationKind,
  problemEvidence,
  problemGrade,
  problemRaiser,
  problemRejectionGround,
  problemSource,
  problemStreamId,
  problemSupervisionGround,
  problemVerdict,
} from './events.js';

/** 征题. */
export const SolicitProblemData = t.exact(
  t.intersection([
    t.type({ problemId: ProblemId, unitId: t.string, source: problemSource, grade: problemGrade, title: t.string }),
    t.partial({
      description: personal(t.string, 'free_text_contact'),
      category: t.string,
      raiser: problemRaiser,
      origin: ItemOrigin,
    }),
  ]),
);

/** 转办: the office routes the problem to a unit or department. */
export const AssignProblemData = t.exact(
  t.intersection([t.type({ problemId: ProblemId, toUnitId: t.string }), t.partial({ note: t.string })]),
);

/** 领题, with a plan and the date by which it will be solved. */
export const ClaimProblemData = t.exact(t.type({ problemId: ProblemId, plan: t.string, promisedBy: isoDate }));

/** 上报 / 街呼区应: pass it one level up. */
export const EscalateProblemData = t.exact(t.type({ problemId: ProblemId, reason: t.string }));

/** 督办. */
export const SuperviseProblemData = t.exact(
  t.intersection([t.type({ problemId: ProblemId, ground: problemSupervisionGround }), t.partial({ note: t.string })]),
);

export const RejectProblemData = t.exact(
  t.intersection([
    t.type({ problemId: ProblemId, ground: problemRejectionGround, reason: t.string }),
    t.partial({ duplicateOf: ProblemId }),
  ]),
);

export const NoteProblemProgressData = t.exact(t.type({ problemId: ProblemId, note: t.string }));

/** 解题. */
export const SolveProblemData = t.exact(
  t.type({ problemId: ProblemId, summary: t.string, evidence: t.array(problemEvidence) }),
);

/**
 * 现场解决: a problem met on a visit and solved there and then, by an official who may claim and solve it in
 * that unit. One command records the three facts the ordinary lifecycle would: solicited (with the visit as
 * its origin), claimed, solved on site.
 */
export const ResolveProblemOnSiteData = t.exact(
  t.intersection([
    t.type({
      problemId: ProblemId,
      unitId: t.string,
      grade: problemGrade,
      title: t.string,
      /** The visit it was met on (the visit lifecycle's id). */
      visitId: FieldworkId,
      summary: t.string,
      evidence: t.array(problemEvidence),
    }),
    t.partial({
      description: personal(t.string, 'free_text_contact'),
      category: t.string,
      raiser: problemRaiser,
    }),
  ]),
);

/** 评题. */
export const EvaluateProblemData = t.exact(
  t.intersection([
    t.type({ problemId: ProblemId, kind: problemEvaluationKind, verdict: problemVerdict }),
    t.partial({
      comment: personal(t.string, 'free_text_contact'),
      raiserUnreachable: t.boolean,
      /** 回访: the office records the raiser's own verdict, taken by telephone or visit, on their behalf. */
      onBehalfOfRaiser: t.boolean,
    }),
  ]),
);

/** Every problem command's data codec, by command type: what an API route decodes its body with. */
export const problemCommandCodecs = {
  solicitProblem: SolicitProblemData,
  assignProblem: AssignProblemData,
  claimProblem: ClaimProblemData,
  escalateProblem: EscalateProblemData,
  superviseProblem: SuperviseProblemData,
  rejectProblem: RejectProblemData,
  noteProblemProgress: NoteProblemProgressData,
  solveProblem: SolveProblemData,
  evaluateProblem: EvaluateProblemData,
  resolveProblemOnSite: ResolveProblemOnSiteData,
} as const;

export type ProblemCommandType = keyof typeof problemCommandCodecs;

export type SolicitProblemData = t.TypeOf<typeof SolicitProblemData>;
export type SolicitProblem = Command<'solicitProblem', SolicitProblemData>;
export type AssignProblemData = t.TypeOf<typeof AssignProblemData>;
export type AssignProblem = Command<'assignProblem', AssignProblemData>;
export type ClaimProblemData = t.TypeOf<typeof ClaimProblemData>;
export type ClaimProblem = Command<'claimProblem', ClaimProblemData>;
export type EscalateProblemData = t.TypeOf<typeof EscalateProblemData>;
export type EscalateProblem = Command<'escalateProblem', EscalateProblemData>;
export type SuperviseProblemData = t.TypeOf<typeof SuperviseProblemData>;
export type SuperviseProblem = Command<'superviseProblem', SuperviseProblemData>;
export type RejectProblemData = t.TypeOf<typeof RejectProblemData>;
export type RejectProblem = Command<'rejectProblem', RejectProblemData>;
export type NoteProblemProgressData = t.TypeOf<typeof NoteProblemProgressData>;
export type NoteProblemProgress = Command<'noteProblemProgress', NoteProblemProgressData>;
export type SolveProblemData = t.TypeOf<typeof SolveProblemData>;
export type SolveProblem = Command<'solveProblem', SolveProblemData>;
export type EvaluateProblemData = t.TypeOf<typeof EvaluateProblemData>;
export type EvaluateProblem = Command<'evaluateProblem', EvaluateProblemData>;
export type ResolveProblemOnSiteData = t.TypeOf<typeof ResolveProblemOnSiteData>;
export type ResolveProblemOnSite = Command<'resolveProblemOnSite', ResolveProblemOnSiteData>;

export type ProblemCommand =
  | SolicitProblem
  | AssignProblem
  | ClaimProblem
  | EscalateProblem
  | SuperviseProblem
  | RejectProblem
  | NoteProblemProgress
  | SolveProblem
  | EvaluateProblem
  | ResolveProblemOnSite;

/** The stream a problem command acts on, for `commandHandler`'s `streamIdOf`. */
export const problemStreamIdOf = (command: ProblemCommand): string => problemStreamId(command.data.problemId);
