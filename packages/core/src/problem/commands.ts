// The commands of the problem lifecycle. Their data codecs are exported so the HTTP API (or any
// embedding app) decodes untrusted bodies once with `decodeWith` and hands the decider typed values.
// Codecs check shape only; every rule about content (a blank reason, a past promised date) lives in the
// decider, so a reader finds each rule in one place.
import * as t from 'io-ts';
import { isoDate } from '../codec/dates.js';
import { personal } from '../codec/personal.js';
import type { Command } from '../decider.js';
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
export const solicitProblemData = t.exact(
  t.intersection([
    t.type({ problemId: ProblemId, unitId: t.string, source: problemSource, grade: problemGrade, title: t.string }),
    t.partial({
      description: personal(t.string, 'free_text_contact'),
      category: t.string,
      raiser: problemRaiser,
    }),
  ]),
);

/** 转办: the office routes the problem to a unit or department. */
export const assignProblemData = t.exact(
  t.intersection([t.type({ problemId: ProblemId, toUnitId: t.string }), t.partial({ note: t.string })]),
);

/** 领题, with a plan and the date by which it will be solved. */
export const claimProblemData = t.exact(t.type({ problemId: ProblemId, plan: t.string, promisedBy: isoDate }));

/** 上报 / 街呼区应: pass it one level up. */
export const escalateProblemData = t.exact(t.type({ problemId: ProblemId, reason: t.string }));

/** 督办. */
export const superviseProblemData = t.exact(
  t.intersection([t.type({ problemId: ProblemId, ground: problemSupervisionGround }), t.partial({ note: t.string })]),
);

export const rejectProblemData = t.exact(
  t.intersection([
    t.type({ problemId: ProblemId, ground: problemRejectionGround, reason: t.string }),
    t.partial({ duplicateOf: ProblemId }),
  ]),
);

export const noteProblemProgressData = t.exact(t.type({ problemId: ProblemId, note: t.string }));

/** 解题. */
export const solveProblemData = t.exact(
  t.type({ problemId: ProblemId, summary: t.string, evidence: t.array(problemEvidence) }),
);

/** 评题. */
export const evaluateProblemData = t.exact(
  t.intersection([
    t.type({ problemId: ProblemId, kind: problemEvaluationKind, verdict: problemVerdict }),
    t.partial({ comment: personal(t.string, 'free_text_contact'), raiserUnreachable: t.boolean }),
  ]),
);

/** Every problem command's data codec, by command type: what an API route decodes its body with. */
export const problemCommandCodecs = {
  solicitProblem: solicitProblemData,
  assignProblem: assignProblemData,
  claimProblem: claimProblemData,
  escalateProblem: escalateProblemData,
  superviseProblem: superviseProblemData,
  rejectProblem: rejectProblemData,
  noteProblemProgress: noteProblemProgressData,
  solveProblem: solveProblemData,
  evaluateProblem: evaluateProblemData,
} as const;

export type ProblemCommandType = keyof typeof problemCommandCodecs;

export type SolicitProblem = Command<'solicitProblem', t.TypeOf<typeof solicitProblemData>>;
export type AssignProblem = Command<'assignProblem', t.TypeOf<typeof assignProblemData>>;
export type ClaimProblem = Command<'claimProblem', t.TypeOf<typeof claimProblemData>>;
export type EscalateProblem = Command<'escalateProblem', t.TypeOf<typeof escalateProblemData>>;
export type SuperviseProblem = Command<'superviseProblem', t.TypeOf<typeof superviseProblemData>>;
export type RejectProblem = Command<'rejectProblem', t.TypeOf<typeof rejectProblemData>>;
export type NoteProblemProgress = Command<'noteProblemProgress', t.TypeOf<typeof noteProblemProgressData>>;
export type SolveProblem = Command<'solveProblem', t.TypeOf<typeof solveProblemData>>;
export type EvaluateProblem = Command<'evaluateProblem', t.TypeOf<typeof evaluateProblemData>>;

export type ProblemCommand =
  | SolicitProblem
  | AssignProblem
  | ClaimProblem
  | EscalateProblem
  | SuperviseProblem
  | RejectProblem
  | NoteProblemProgress
  | SolveProblem
  | EvaluateProblem;

/** The stream a problem command acts on, for `commandHandler`'s `streamIdOf`. */
export const problemStreamIdOf = (command: ProblemCommand): string => problemStreamId(command.data.problemId);
