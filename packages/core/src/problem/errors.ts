// Every refusal of the problem lifecycle: the stable rule names, and one error factory per rule with its
// code and message. Tests, the HTTP layer and the docs refer to the names, never to messages, so a rule
// can be reworded without breaking its callers; docs/domain.md lists them.
import { conflict, type DomainError, forbidden, invalidState, notFound, validationError } from '../errors.js';

export const problemRules = {
  // Any command
  notFound: 'problem.not_found',
  closed: 'problem.closed',
  rejected: 'problem.rejected',
  /** The office (领导小组办公室) acts only on problems, and routes only to units, inside its own district. */
  officeOutsideDistrict: 'problem.office_outside_district',

  // 征题
  alreadyExists: 'problem.solicit.already_exists',
  solicitSourceNotAllowed: 'problem.solicit.source_not_allowed',
  solicitNotTheRaiser: 'problem.solicit.not_the_raiser',
  solicitOutsideOwnUnit: 'problem.solicit.outside_own_unit',
  solicitRaiserMismatch: 'problem.solicit.raiser_mismatch',
  solicitUnknownUnit: 'problem.solicit.unknown_unit',
  solicitTitleRequired: 'problem.solicit.title_required',

  // 转办
  assignNotOffice: 'problem.assign.not_office',
  assignNotOpen: 'problem.assign.not_open',
  assignUnknownUnit: 'problem.assign.unknown_unit',

  // 领题
  claimAlreadyClaimed: 'problem.claim.already_claimed',
  claimNotSecretaryOfUnit: 'problem.claim.not_secretary_of_unit',
  claimNotHandlerOfDepartment: 'problem.claim.not_handler_of_department',
  claimPlanRequired: 'problem.claim.plan_required',
  claimPromisedDateInPast: 'problem.claim.promised_date_in_past',

  // 上报
  escalateNotClaimed: 'problem.escalate.not_claimed',
  escalateNotClaimant: 'problem.escalate.not_claimant',
  escalateAtTopLevel: 'problem.escalate.at_top_level',
  escalateReasonRequired: 'problem.escalate.reason_required',

  // 督办
  superviseNotOffice: 'problem.supervise.not_office',
  superviseNotOverdue: 'problem.supervise.not_overdue',
  superviseNotReopened: 'problem.supervise.not_reopened',

  // Rejection (duplicate, out of scope)
  rejectNotOpen: 'problem.reject.not_open',
  rejectNotOfficeOrUnitSecretary: 'problem.reject.not_office_or_unit_secretary',
  rejectReasonRequired: 'problem.reject.reason_required',

  // Progress notes
  progressNotClaimed: 'problem.progress.not_claimed',
  progressNotClaimant: 'problem.progress.not_claimant',
  progressNoteRequired: 'problem.progress.note_required',

  // 解题
  solveNotClaimed: 'problem.solve.not_claimed',
  solveNotClaimant: 'problem.solve.not_claimant',
  solveSummaryRequired: 'problem.solve.summary_required',
  solveEvidenceRequired: 'problem.solve.evidence_required',
  /** 现场解决 is for an official who could claim the problem there: a secretary of the unit or above it. */
  resolveOnSiteNotSecretaryOfUnit: 'problem.resolve_on_site.not_secretary_of_unit',

  // 评题
  evaluateNotSolved: 'problem.evaluate.not_solved',
  evaluateNotRaiser: 'problem.evaluate.not_raiser',
  evaluateNotRaisingEnterprise: 'problem.evaluate.not_raising_enterprise',
  evaluateNotOffice: 'problem.evaluate.not_office',
  /** 回访: only the office records a raiser's verdict on their behalf. */
  evaluateCallbackNotOffice: 'problem.evaluate.callback_not_office',
  evaluateNoRaiserToCallBack: 'problem.evaluate.no_raiser_to_call_back',
  evaluateCallbackKindMismatch: 'problem.evaluate.callback_kind_mismatch',
} as const;

export type ProblemRule = (typeof problemRules)[keyof typeof problemRules];

const r = problemRules;

/** The body field a validation refusal is about, as decoders name theirs. */
const fieldOf = (path: string) => [{ path, message: `${path}: refused` }];

/** The refusals every claimant-only command shares, each under its own rule name. */
const notClaimed = (rule: ProblemRule) => (problemId: string, status: string) =>
  invalidState(rule, `problem ${problemId} is ${status}, not claimed`, { status });
const notClaimant = (rule: ProblemRule) => (claimantId: string) =>
  forbidden(rule, `only the claimant ${claimantId} may do this`, { claimantId });

export const problemErrors = {
  notFound: (problemId: string): DomainError =>
    notFound(r.notFound, `problem ${problemId} does not exist`, { problemId }),
  closed: (problemId: string): DomainError =>
    invalidState(r.closed, `problem ${problemId} is closed (销号) and accepts no commands`, { problemId }),
  rejected: (problemId: string): DomainError =>
    invalidState(r.rejected, `problem ${problemId} was rejected and accepts no commands`, { problemId }),
  officeOutsideDistrict: (personId: string, unitId: string): DomainError =>
    forbidden(r.officeOutsideDistrict, `${personId} is not the office of the district unit ${unitId} lies in`, {
      unitId,
    }),

  alreadyExists: (problemId: string): DomainError =>
    conflict(r.alreadyExists, `problem ${problemId} already exists`, { problemId }),
  solicitSourceNotAllowed: (personId: string, role: string, source: string): DomainError =>
    forbidden(r.solicitSourceNotAllowed, `acting as ${role}, ${personId} cannot record a ${source} problem`, {
      role,
      source,
    }),
  solicitNotTheRaiser: (personId: string): DomainError =>
    forbidden(r.solicitNotTheRaiser, `${personId} may raise only their own problems`),
  solicitOutsideOwnUnit: (personId: string, role: string, unitId: string): DomainError =>
    forbidden(r.solicitOutsideOwnUnit, `${personId} is not a ${role} of unit ${unitId} or above it`, { unitId }),
  solicitRaiserMismatch: (source: string): DomainError =>
    validationError(r.solicitRaiserMismatch, `a ${source} problem needs a ${source} raiser`, {
      source,
      fields: fieldOf('body.raiser.kind'),
    }),
  solicitUnknownUnit: (unitId: string): DomainError =>
    validationError(r.solicitUnknownUnit, `unit ${unitId} is not in the directory`, {
      unitId,
      fields: fieldOf('body.unitId'),
    }),
  solicitTitleRequired: (): DomainError =>
    validationError(r.solicitTitleRequired, 'a problem needs a title', { fields: fieldOf('body.title') }),

  assignNotOffice: (): DomainError =>
    forbidden(r.assignNotOffice, 'only the leading-group office routes problems (转办)'),
  assignNotOpen: (problemId: string, status: string): DomainError =>
    invalidState(r.assignNotOpen, `problem ${problemId} is ${status}; only an unclaimed problem is routed`, {
      status,
    }),
  assignUnknownUnit: (unitId: string): DomainError =>
    validationError(r.assignUnknownUnit, `unit ${unitId} is not in the directory`, {
      unitId,
      fields: fieldOf('body.toUnitId'),
    }),

  claimAlreadyClaimed: (problemId: string, claimantId: string): DomainError =>
    conflict(r.claimAlreadyClaimed, `problem ${problemId} is already claimed by ${claimantId}`, { claimantId }),
  claimNotSecretaryOfUnit: (personId: string, unitId: string): DomainError =>
    forbidden(r.claimNotSecretaryOfUnit, `${personId} is not a secretary of unit ${unitId} or of a unit above it`, {
      unitId,
    }),
  claimNotHandlerOfDepartment: (personId: string, problemId: string, assignedTo: string | null): DomainError =>
    forbidden(
      r.claimNotHandlerOfDepartment,
      `${personId} is not a handler of a department problem ${problemId} was assigned to`,
      { assignedTo },
    ),
  claimPlanRequired: (): DomainError =>
    validationError(r.claimPlanRequired, 'a claim needs a plan', { fields: fieldOf('body.plan') }),
  claimPromisedDateInPast: (promisedBy: string): DomainError =>
    validationError(r.claimPromisedDateInPast, `the promised date ${promisedBy} is already past`, {
      promisedBy,
      fields: fieldOf('body.promisedBy'),
    }),

  escalateNotClaimed: notClaimed(r.escalateNotClaimed),
  escalateNotClaimant: notClaimant(r.escalateNotClaimant),
  escalateAtTopLevel: (unitId: string): DomainError =>
    invalidState(r.escalateAtTopLevel, `unit ${unitId} has no level above it to escalate to`, { unitId }),
  escalateReasonRequired: (): DomainError =>
    validationError(r.escalateReasonRequired, 'an escalation needs a reason', { fields: fieldOf('body.reason') }),

  superviseNotOffice: (): DomainError =>
    forbidden(r.superviseNotOffice, 'only the leading-group office supervises (督办)'),
  superviseNotOverdue: (problemId: string, status: string): DomainError =>
    invalidState(r.superviseNotOverdue, `problem ${problemId} is not overdue`, { status }),
  superviseNotReopened: (problemId: string, status: string, reworkCount: number): DomainError =>
    invalidState(r.superviseNotReopened, `problem ${problemId} is not being reworked after a reopening`, {
      status,
      reworkCount,
    }),

  rejectNotOpen: (problemId: string, status: string): DomainError =>
    invalidState(r.rejectNotOpen, `problem ${problemId} is ${status}; only an unclaimed problem is rejected`, {
      status,
    }),
  rejectNotOfficeOrUnitSecretary: (problemId: string, unitId: string): DomainError =>
    forbidden(
      r.rejectNotOfficeOrUnitSecretary,
      `only the office or a secretary of unit ${unitId} may reject problem ${problemId}`,
      { unitId },
    ),
  rejectReasonRequired: (): DomainError =>
    validationError(r.rejectReasonRequired, 'a rejection needs a reason', { fields: fieldOf('body.reason') }),

  progressNotClaimed: notClaimed(r.progressNotClaimed),
  progressNotClaimant: notClaimant(r.progressNotClaimant),
  progressNoteRequired: (): DomainError =>
    validationError(r.progressNoteRequired, 'a progress note cannot be empty', { fields: fieldOf('body.note') }),

  solveNotClaimed: notClaimed(r.solveNotClaimed),
  solveNotClaimant: notClaimant(r.solveNotClaimant),
  resolveOnSiteNotSecretaryOfUnit: (personId: string, unitId: string): DomainError =>
    forbidden(
      r.resolveOnSiteNotSecretaryOfUnit,
      `${personId} is not a secretary of unit ${unitId} or of a unit above it, so cannot solve it on site`,
      { unitId },
    ),
  solveSummaryRequired: (): DomainError =>
    validationError(r.solveSummaryRequired, 'a solution needs a summary', { fields: fieldOf('body.summary') }),
  solveEvidenceRequired: (): DomainError =>
    validationError(r.solveEvidenceRequired, 'a solution needs at least one piece of evidence', {
      fields: fieldOf('body.evidence'),
    }),

  evaluateNotSolved: (problemId: string, status: string): DomainError =>
    invalidState(r.evaluateNotSolved, `problem ${problemId} is ${status}; only a solved problem is rated`, {
      status,
    }),
  evaluateNotRaiser: (problemId: string): DomainError =>
    forbidden(r.evaluateNotRaiser, `only the resident who raised problem ${problemId} gives 百姓评`),
  evaluateNotRaisingEnterprise: (problemId: string): DomainError =>
    forbidden(r.evaluateNotRaisingEnterprise, `only the enterprise that raised problem ${problemId} gives 企业评`),
  evaluateNotOffice: (): DomainError => forbidden(r.evaluateNotOffice, 'only the leading-group office gives 考核评'),
  evaluateCallbackNotOffice: (): DomainError =>
    forbidden(r.evaluateCallbackNotOffice, "only the leading-group office records a raiser's verdict by 回访"),
  evaluateNoRaiserToCallBack: (problemId: string): DomainError =>
    invalidState(
      r.evaluateNoRaiserToCallBack,
      `problem ${problemId} has no raiser known to the directory, so there is nobody to call back (回访)`,
      { problemId },
    ),
  evaluateCallbackKindMismatch: (kind: string, raiserKind: string): DomainError =>
    validationError(
      r.evaluateCallbackKindMismatch,
      `a verdict taken by 回访 is the raiser's own: ${raiserKind}, not ${kind}`,
      { kind, raiserKind, fields: fieldOf('body.kind') },
    ),
};
