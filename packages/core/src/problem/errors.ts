// The stable names of every rule the problem decider enforces. Tests, the HTTP layer and the docs
// refer to these names, never to messages, so a rule can be reworded without breaking its callers.

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

  // 评题
  evaluateNotSolved: 'problem.evaluate.not_solved',
  evaluateNotRaiser: 'problem.evaluate.not_raiser',
  evaluateNotRaisingEnterprise: 'problem.evaluate.not_raising_enterprise',
  evaluateNotOffice: 'problem.evaluate.not_office',
} as const;

export type ProblemRule = (typeof problemRules)[keyof typeof problemRules];
