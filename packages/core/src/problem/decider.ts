// The problem decider: 征题 → (转办) → 领题 → 解题 → 评题 → 销号, with 上报, 督办 and rejection.
// Pure: "now" and the actor come from the command's metadata, who holds which role from the directory
// in the decision context. Checks run in one order for every command — the item exists and is not
// finished, it is in a state the command applies to, the actor may act, the content is complete — so a
// refusal names the first thing a person would have to change.
import * as E from 'fp-ts/lib/Either.js';
import { calendarDateOf } from '../codec/dates.js';
import type { Decider } from '../decider.js';
import { holdsRole } from '../directory/static-view.js';
import type { DirectoryRole } from '../directory/view.js';
import type { Actor, Role } from '../envelope.js';
import type { DomainError } from '../errors.js';
import type { DecisionContext } from '../handling/decision-context.js';
import type {
  AssignProblem,
  ClaimProblem,
  EscalateProblem,
  EvaluateProblem,
  NoteProblemProgress,
  ProblemCommand,
  RejectProblem,
  ResolveProblemOnSite,
  SolicitProblem,
  SolveProblem,
  SuperviseProblem,
} from './commands.js';
import { problemErrors as errors } from './errors.js';
import { type ProblemEvent, type ProblemGrade, type ProblemSource, problemSource } from './events.js';
import { isOverdue } from './overdue.js';

export type ProblemStatus = 'solicited' | 'assigned' | 'claimed' | 'solved' | 'closed' | 'rejected';

export interface ProblemClaim {
  readonly claimantId: string;
  readonly role: 'secretary' | 'department_handler';
  readonly unitId: string;
  readonly promisedBy: string;
}

export interface ExistingProblem {
  readonly status: ProblemStatus;
  readonly problemId: string;
  /** Where the problem sits now: moved by 转办 and 上报. */
  readonly unitId: string;
  /** The unit or department the office routed it to, until an escalation moves it on. */
  readonly assignedTo: string | null;
  readonly source: ProblemSource;
  readonly grade: ProblemGrade;
  readonly solicitedAt: string;
  /** Who gives the raiser's verdict; `personId` null when the raiser is not someone the system can ask. */
  readonly raiser: { readonly kind: 'resident' | 'enterprise'; readonly personId: string | null } | null;
  /** Kept while solved, so an unsatisfied verdict returns the work to the same claimant. */
  readonly claim: ProblemClaim | null;
  readonly reworkCount: number;
  readonly supervisionCount: number;
}

export type ProblemState = { readonly status: 'none' } | ExistingProblem;

type Decision = E.Either<DomainError, readonly ProblemEvent[]>;

const isBlank = (text: string): boolean => text.trim() === '';

/** The actor acted in `role` and the directory confirms they hold it (there, or above it). */
const actsAs = (
  context: DecisionContext,
  actor: Actor,
  role: DirectoryRole,
  unitId?: string,
  orAncestor = false,
): boolean => actor.role === role && holdsRole(context.directory, actor.personId, role, unitId, orAncestor);

/**
 * Where an office act falls: the actor holds the office over `unitId` (its own district), holds an office
 * of another district, or holds none. The directory confines an office to its district; so do the acts.
 */
const officeOver = (context: DecisionContext, actor: Actor, unitId: string): 'inside' | 'outside' | 'none' => {
  if (!actsAs(context, actor, 'office')) return 'none';
  return actsAs(context, actor, 'office', unitId, true) ? 'inside' : 'outside';
};

const outsideDistrict = (actor: Actor, unitId: string): DomainError =>
  errors.officeOutsideDistrict(actor.personId, unitId);

const allSources = problemSource.keys;
/** Which channel each role may record a problem through; office and system integrations (12345) take all. */
const sourcesByRole: Partial<Record<Role, readonly ProblemSource[]>> = {
  resident: ['resident'],
  enterprise: ['enterprise'],
  grid_worker: ['grid_visit'],
  secretary: ['suggestion_drive'],
  office: Object.keys(allSources) as ProblemSource[],
  system: Object.keys(allSources) as ProblemSource[],
};

const existing = (state: ProblemState, problemId: string): E.Either<DomainError, ExistingProblem> => {
  if (state.status === 'none') return E.left(errors.notFound(problemId));
  if (state.status === 'closed') return E.left(errors.closed(problemId));
  if (state.status === 'rejected') return E.left(errors.rejected(problemId));
  return E.right(state);
};

const solicit = (command: SolicitProblem, state: ProblemState, context: DecisionContext): Decision => {
  const { actor, now } = command.metadata;
  const data = command.data;
  if (state.status !== 'none') {
    const terminal = existing(state, data.problemId);
    if (E.isLeft(terminal)) return terminal;
    return E.left(errors.alreadyExists(data.problemId));
  }
  if (context.directory.unit(data.unitId) === undefined) return E.left(errors.solicitUnknownUnit(data.unitId));

  const allowed = sourcesByRole[actor.role] ?? [];
  if (!allowed.includes(data.source) || (actor.role === 'office' && !actsAs(context, actor, 'office')))
    return E.left(errors.solicitSourceNotAllowed(actor.personId, actor.role, data.source));
  if (actor.role === 'office' && officeOver(context, actor, data.unitId) === 'outside')
    return E.left(outsideDistrict(actor, data.unitId));
  if ((data.source === 'resident' || data.source === 'enterprise') && data.raiser?.kind !== data.source)
    return E.left(errors.solicitRaiserMismatch(data.source));
  const raiserId =
    data.raiser === undefined
      ? undefined
      : data.raiser.kind === 'resident'
        ? data.raiser.personId
        : data.raiser.enterpriseId;
  if ((actor.role === 'resident' || actor.role === 'enterprise') && raiserId !== actor.personId)
    return E.left(errors.solicitNotTheRaiser(actor.personId));
  if (
    (actor.role === 'grid_worker' || actor.role === 'secretary') &&
    !actsAs(context, actor, actor.role, data.unitId, true)
  )
    return E.left(errors.solicitOutsideOwnUnit(actor.personId, actor.role, data.unitId));
  if (isBlank(data.title)) return E.left(errors.solicitTitleRequired());

  return E.right([
    {
      type: 'ProblemSolicited',
      data: {
        problemId: data.problemId,
        unitId: data.unitId,
        source: data.source,
        grade: data.grade,
        title: data.title,
        solicitedAt: now,
        ...(data.description === undefined ? {} : { description: data.description }),
        ...(data.category === undefined ? {} : { category: data.category }),
        ...(data.raiser === undefined ? {} : { raiser: data.raiser }),
        ...(data.origin === undefined ? {} : { origin: data.origin }),
      },
    },
  ]);
};

/**
 * 现场解决: on an empty stream, the three facts at once — solicited from the visit, claimed by the official
 * on the spot (promised for today), solved on site. The official must be one who could claim it: a
 * secretary of the unit or above it, the nearest such unit answerable on the board, as with 领题.
 */
const resolveOnSite = (command: ResolveProblemOnSite, state: ProblemState, context: DecisionContext): Decision => {
  const { actor, now } = command.metadata;
  const data = command.data;
  if (state.status !== 'none') {
    const terminal = existing(state, data.problemId);
    if (E.isLeft(terminal)) return terminal;
    return E.left(errors.alreadyExists(data.problemId));
  }
  if (context.directory.unit(data.unitId) === undefined) return E.left(errors.solicitUnknownUnit(data.unitId));
  const led =
    actor.role === 'secretary'
      ? context.directory
          .ancestry(data.unitId)
          .find((u) => holdsRole(context.directory, actor.personId, 'secretary', u.unitId))
      : undefined;
  if (led === undefined) return E.left(errors.resolveOnSiteNotSecretaryOfUnit(actor.personId, data.unitId));
  if (isBlank(data.title)) return E.left(errors.solicitTitleRequired());
  if (isBlank(data.summary)) return E.left(errors.solveSummaryRequired());
  if (data.evidence.length === 0) return E.left(errors.solveEvidenceRequired());
  return E.right([
    {
      type: 'ProblemSolicited',
      data: {
        problemId: data.problemId,
        unitId: data.unitId,
        source: 'grid_visit',
        grade: data.grade,
        title: data.title,
        solicitedAt: now,
        ...(data.description === undefined ? {} : { description: data.description }),
        ...(data.category === undefined ? {} : { category: data.category }),
        ...(data.raiser === undefined ? {} : { raiser: data.raiser }),
        origin: { kind: 'visit', visitId: data.visitId },
      },
    },
    {
      type: 'ProblemClaimed',
      data: {
        problemId: data.problemId,
        claimantId: actor.personId,
        claimantRole: 'secretary',
        claimantUnitId: led.unitId,
        plan: data.summary,
        promisedBy: calendarDateOf(now),
      },
    },
    {
      type: 'ProblemSolved',
      data: { problemId: data.problemId, summary: data.summary, evidence: data.evidence, onSite: true },
    },
  ]);
};

const assign = (command: AssignProblem, problem: ExistingProblem, context: DecisionContext): Decision => {
  const { problemId, toUnitId, note } = command.data;
  if (problem.status !== 'solicited' && problem.status !== 'assigned')
    return E.left(errors.assignNotOpen(problemId, problem.status));
  if (!actsAs(context, command.metadata.actor, 'office')) return E.left(errors.assignNotOffice());
  if (officeOver(context, command.metadata.actor, problem.unitId) === 'outside')
    return E.left(outsideDistrict(command.metadata.actor, problem.unitId));
  if (context.directory.unit(toUnitId) === undefined) return E.left(errors.assignUnknownUnit(toUnitId));
  if (officeOver(context, command.metadata.actor, toUnitId) === 'outside')
    return E.left(outsideDistrict(command.metadata.actor, toUnitId));
  return E.right([
    {
      type: 'ProblemAssigned',
      data: { problemId, fromUnitId: problem.unitId, toUnitId, ...(note === undefined ? {} : { note }) },
    },
  ]);
};

const claim = (command: ClaimProblem, problem: ExistingProblem, context: DecisionContext): Decision => {
  const { actor, now } = command.metadata;
  const { problemId, plan, promisedBy } = command.data;
  if (problem.claim !== null) return E.left(errors.claimAlreadyClaimed(problemId, problem.claim.claimantId));

  let claimant: Pick<ProblemClaim, 'role' | 'unitId'>;
  if (actor.role === 'department_handler') {
    const department = problem.assignedTo === null ? undefined : context.directory.unit(problem.assignedTo);
    if (department?.kind !== 'department' || !actsAs(context, actor, 'department_handler', department.unitId))
      return E.left(errors.claimNotHandlerOfDepartment(actor.personId, problemId, problem.assignedTo));
    claimant = { role: 'department_handler', unitId: department.unitId };
  } else {
    // The nearest unit the secretary leads is the one answerable on the board.
    const led =
      actor.role === 'secretary'
        ? context.directory
            .ancestry(problem.unitId)
            .find((u) => holdsRole(context.directory, actor.personId, 'secretary', u.unitId))
        : undefined;
    if (led === undefined) return E.left(errors.claimNotSecretaryOfUnit(actor.personId, problem.unitId));
    claimant = { role: 'secretary', unitId: led.unitId };
  }

  if (isBlank(plan)) return E.left(errors.claimPlanRequired());
  if (promisedBy < calendarDateOf(now)) return E.left(errors.claimPromisedDateInPast(promisedBy));
  return E.right([
    {
      type: 'ProblemClaimed',
      data: {
        problemId,
        claimantId: actor.personId,
        claimantRole: claimant.role,
        claimantUnitId: claimant.unitId,
        plan,
        promisedBy,
      },
    },
  ]);
};

/** The claim of a problem the claimant is working on, or the command's own refusal. */
const claimantOnly = (
  command: ProblemCommand,
  problem: ExistingProblem,
  notClaimed: (problemId: string, status: string) => DomainError,
  notClaimant: (claimantId: string) => DomainError,
): E.Either<DomainError, ProblemClaim> => {
  if (problem.status !== 'claimed' || problem.claim === null)
    return E.left(notClaimed(problem.problemId, problem.status));
  if (command.metadata.actor.personId !== problem.claim.claimantId)
    return E.left(notClaimant(problem.claim.claimantId));
  return E.right(problem.claim);
};

const escalate = (command: EscalateProblem, problem: ExistingProblem, context: DecisionContext): Decision => {
  const held = claimantOnly(command, problem, errors.escalateNotClaimed, errors.escalateNotClaimant);
  if (E.isLeft(held)) return held;
  const { problemId, reason } = command.data;
  const parentId = context.directory.unit(problem.unitId)?.parentId ?? null;
  if (parentId === null) return E.left(errors.escalateAtTopLevel(problem.unitId));
  if (isBlank(reason)) return E.left(errors.escalateReasonRequired());
  return E.right([
    {
      type: 'ProblemEscalated',
      data: {
        problemId,
        fromUnitId: problem.unitId,
        toUnitId: parentId,
        reason,
        releasedClaimantId: held.right.claimantId,
      },
    },
  ]);
};

const supervise = (command: SuperviseProblem, problem: ExistingProblem, context: DecisionContext): Decision => {
  const { problemId, ground, note } = command.data;
  if (ground === 'overdue' && !isOverdue(problem, command.metadata.now))
    return E.left(errors.superviseNotOverdue(problemId, problem.status));
  if (ground === 'reopened' && !(problem.status === 'claimed' && problem.reworkCount > 0))
    return E.left(errors.superviseNotReopened(problemId, problem.status, problem.reworkCount));
  if (!actsAs(context, command.metadata.actor, 'office')) return E.left(errors.superviseNotOffice());
  if (officeOver(context, command.metadata.actor, problem.unitId) === 'outside')
    return E.left(outsideDistrict(command.metadata.actor, problem.unitId));
  return E.right([{ type: 'ProblemSupervised', data: { problemId, ground, ...(note === undefined ? {} : { note }) } }]);
};

const reject = (command: RejectProblem, problem: ExistingProblem, context: DecisionContext): Decision => {
  const { actor } = command.metadata;
  const { problemId, ground, reason, duplicateOf } = command.data;
  if (problem.status !== 'solicited' && problem.status !== 'assigned')
    return E.left(errors.rejectNotOpen(problemId, problem.status));
  if (actor.role === 'office' && officeOver(context, actor, problem.unitId) === 'outside')
    return E.left(outsideDistrict(actor, problem.unitId));
  if (!actsAs(context, actor, 'office') && !actsAs(context, actor, 'secretary', problem.unitId))
    return E.left(errors.rejectNotOfficeOrUnitSecretary(problemId, problem.unitId));
  if (isBlank(reason)) return E.left(errors.rejectReasonRequired());
  return E.right([
    {
      type: 'ProblemRejected',
      data: { problemId, ground, reason, ...(duplicateOf === undefined ? {} : { duplicateOf }) },
    },
  ]);
};

const noteProgress = (command: NoteProblemProgress, problem: ExistingProblem): Decision => {
  const held = claimantOnly(command, problem, errors.progressNotClaimed, errors.progressNotClaimant);
  if (E.isLeft(held)) return held;
  const { problemId, note } = command.data;
  if (isBlank(note)) return E.left(errors.progressNoteRequired());
  return E.right([{ type: 'ProblemProgressNoted', data: { problemId, note } }]);
};

const solve = (command: SolveProblem, problem: ExistingProblem): Decision => {
  const held = claimantOnly(command, problem, errors.solveNotClaimed, errors.solveNotClaimant);
  if (E.isLeft(held)) return held;
  const { problemId, summary, evidence } = command.data;
  if (isBlank(summary)) return E.left(errors.solveSummaryRequired());
  if (evidence.length === 0) return E.left(errors.solveEvidenceRequired());
  return E.right([{ type: 'ProblemSolved', data: { problemId, summary, evidence } }]);
};

/**
 * 回访: the office calls the raiser back and records their verdict for them. It acts as the office over the
 * problem, the raiser must be someone the directory knows (else there is nobody to call back), and the
 * verdict is of the raiser's own kind: it then counts as the raiser's, closing or reopening the problem.
 */
const callbackRefusal = (
  command: EvaluateProblem,
  problem: ExistingProblem,
  context: DecisionContext,
): DomainError | undefined => {
  const { actor } = command.metadata;
  const { problemId, kind } = command.data;
  const office = officeOver(context, actor, problem.unitId);
  if (office === 'none') return errors.evaluateCallbackNotOffice();
  if (office === 'outside') return outsideDistrict(actor, problem.unitId);
  if (problem.raiser === null || problem.raiser.personId === null) return errors.evaluateNoRaiserToCallBack(problemId);
  if (kind !== problem.raiser.kind) return errors.evaluateCallbackKindMismatch(kind, problem.raiser.kind);
  return undefined;
};

const evaluate = (command: EvaluateProblem, problem: ExistingProblem, context: DecisionContext): Decision => {
  const { actor } = command.metadata;
  const { problemId, kind, verdict, comment, raiserUnreachable } = command.data;
  const onBehalfOfRaiser = command.data.onBehalfOfRaiser === true;
  if (problem.status !== 'solved' || problem.claim === null)
    return E.left(errors.evaluateNotSolved(problemId, problem.status));
  const raiser = problem.raiser;
  const isRaiser = (as: 'resident' | 'enterprise') =>
    raiser?.kind === as && raiser.personId !== null && actor.role === as && actor.personId === raiser.personId;
  if (onBehalfOfRaiser) {
    const refused = callbackRefusal(command, problem, context);
    if (refused !== undefined) return E.left(refused);
  } else {
    if (kind === 'resident' && !isRaiser('resident')) return E.left(errors.evaluateNotRaiser(problemId));
    if (kind === 'enterprise' && !isRaiser('enterprise')) return E.left(errors.evaluateNotRaisingEnterprise(problemId));
    if (kind === 'assessment' && !actsAs(context, actor, 'office')) return E.left(errors.evaluateNotOffice());
    if (kind === 'assessment' && officeOver(context, actor, problem.unitId) === 'outside')
      return E.left(outsideDistrict(actor, problem.unitId));
  }

  const evaluated: ProblemEvent = {
    type: 'ProblemEvaluated',
    data: {
      problemId,
      kind,
      verdict,
      ...(comment === undefined ? {} : { comment }),
      ...(kind === 'assessment' && raiserUnreachable !== undefined ? { raiserUnreachable } : {}),
      ...(onBehalfOfRaiser ? { onBehalfOfRaiser } : {}),
    },
  };
  if (verdict === 'unsatisfied')
    return E.right([
      evaluated,
      {
        type: 'ProblemReopened',
        data: { problemId, claimantId: problem.claim.claimantId, reworkCount: problem.reworkCount + 1 },
      },
    ]);
  // The raiser's word closes it; an assessment stands in only when the raiser cannot be asked.
  const raiserCannotBeAsked = raiser === null || raiser.personId === null || raiserUnreachable === true;
  if (kind !== 'assessment' || raiserCannotBeAsked)
    return E.right([
      evaluated,
      {
        type: 'ProblemClosed',
        data: { problemId, basis: kind === 'assessment' ? 'assessment' : 'raiser_verdict', verdict },
      },
    ]);
  return E.right([evaluated]);
};

const evolve = (state: ProblemState, event: ProblemEvent): ProblemState => {
  if (event.type === 'ProblemSolicited') {
    const { raiser } = event.data;
    return {
      status: 'solicited',
      problemId: event.data.problemId,
      unitId: event.data.unitId,
      assignedTo: null,
      source: event.data.source,
      grade: event.data.grade,
      solicitedAt: event.data.solicitedAt,
      raiser:
        raiser === undefined
          ? null
          : {
              kind: raiser.kind,
              personId: (raiser.kind === 'resident' ? raiser.personId : raiser.enterpriseId) ?? null,
            },
      claim: null,
      reworkCount: 0,
      supervisionCount: 0,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ProblemAssigned':
      return { ...state, status: 'assigned', unitId: event.data.toUnitId, assignedTo: event.data.toUnitId };
    case 'ProblemClaimed':
      return {
        ...state,
        status: 'claimed',
        claim: {
          claimantId: event.data.claimantId,
          role: event.data.claimantRole,
          unitId: event.data.claimantUnitId,
          promisedBy: event.data.promisedBy,
        },
      };
    case 'ProblemEscalated':
      return { ...state, status: 'solicited', unitId: event.data.toUnitId, assignedTo: null, claim: null };
    case 'ProblemSupervised':
      return { ...state, supervisionCount: state.supervisionCount + 1 };
    case 'ProblemRejected':
      return { ...state, status: 'rejected' };
    case 'ProblemSolved':
      return { ...state, status: 'solved' };
    case 'ProblemClosed':
      return { ...state, status: 'closed' };
    case 'ProblemReopened':
      return { ...state, status: 'claimed', reworkCount: event.data.reworkCount };
    case 'ProblemProgressNoted':
    case 'ProblemEvaluated':
      return state;
  }
};

export const problemDecider: Decider<ProblemCommand, ProblemEvent, ProblemState, DecisionContext> = {
  initialState: { status: 'none' },
  evolve,
  decide: (command, state, context) => {
    if (command.type === 'solicitProblem') return solicit(command, state, context);
    if (command.type === 'resolveProblemOnSite') return resolveOnSite(command, state, context);
    const found = existing(state, command.data.problemId);
    if (E.isLeft(found)) return found;
    const problem = found.right;
    switch (command.type) {
      case 'assignProblem':
        return assign(command, problem, context);
      case 'claimProblem':
        return claim(command, problem, context);
      case 'escalateProblem':
        return escalate(command, problem, context);
      case 'superviseProblem':
        return supervise(command, problem, context);
      case 'rejectProblem':
        return reject(command, problem, context);
      case 'noteProblemProgress':
        return noteProgress(command, problem);
      case 'solveProblem':
        return solve(command, problem);
      case 'evaluateProblem':
        return evaluate(command, problem, context);
    }
  },
};
