// The workbench (工作台) shows a refusal in the reader's language: one sentence per rule name, saying what
// happened and what to do, and a label for the field it concerns. Rule names come from core's and the
// API's rule maps (the catalogue's type is derived from them, so a new rule is a type error here until it
// has its words) and from the workbench's own checks (uploads, the form's token, the session).
import type { apiRules } from '@banshishi/api';
import type {
  campaignRules,
  commandRules,
  directoryRules,
  forgettingRules,
  pairingRules,
  privacyRules,
  problemRules,
  serviceRules,
  storeRules,
  subjectKeyStoreRules,
  visitRules,
  wishRules,
} from '@banshishi/core';
import type { Lang } from '../../i18n/index.js';

/** The workbench's own refusals: uploads of evidence, and the form's round trip. */
export const workbenchRules = {
  evidenceTooLarge: 'evidence.too_large',
  evidenceUnsupportedType: 'evidence.unsupported_type',
  /** The file's bytes are not of the type its name or declared type says. */
  evidenceTypeMismatch: 'evidence.type_mismatch',
  evidenceUnreadable: 'evidence.unreadable',
  evidenceTooManyPixels: 'evidence.too_many_pixels',
  evidenceTooManyFiles: 'evidence.too_many_files',
  evidenceMissing: 'evidence.missing',
  /** The form's CSRF token is missing or stale. */
  csrfInvalid: 'workbench.csrf_invalid',
  signedOut: 'workbench.signed_out',
  /** Someone else acted on the item first; the page shows its state now. */
  conflict: 'workbench.conflict',
  apiUnavailable: 'workbench.api_unavailable',
  fieldRequired: 'workbench.field_required',
  invalidDate: 'workbench.invalid_date',
} as const;

/**
 * Rules that fire but sit in no exported map: core's decoder names its refusals inline (`decodeWith`), and
 * the API's error handler its answer to a request its parsers could not take.
 */
export const unmappedRules = {
  inputInvalid: 'input.invalid',
  inputUndecodable: 'input.undecodable',
  malformedRequest: 'api.malformed_request',
} as const;

/** Distributes over a union of maps: `keyof (A | B)` would keep only the keys every map shares. */
type ValuesOf<T> = T extends unknown ? T[keyof T] : never;

export type Rule = ValuesOf<
  | typeof problemRules
  | typeof wishRules
  | typeof visitRules
  | typeof directoryRules
  | typeof campaignRules
  | typeof pairingRules
  | typeof serviceRules
  | typeof commandRules
  | typeof storeRules
  | typeof forgettingRules
  | typeof privacyRules
  | typeof subjectKeyStoreRules
  | typeof apiRules
  | typeof workbenchRules
  | typeof unmappedRules
>;

export type RefusalCatalogue = { readonly [L in Lang]: Readonly<Record<Rule, string>> };

// One situation, one sentence: these rules are the same thing to the person reading, whichever layer noticed.
const zhSignedOut = '登录已过期，请重新登录。';
const enSignedOut = 'Your sign-in has expired. Please sign in again.';
const zhUnavailable = '系统繁忙，暂时无法办理，请稍后再试。';
const enUnavailable = 'The service is busy or unavailable just now. Please try again shortly.';
const zhActedFirst = '您打开页面后，这件事已有人先办理了。下面是它现在的情况，请看过后再决定怎么办。';
const enActedFirst =
  'Someone else acted on this item after you opened it. Here is its state now; check it before you go on.';

const zh: Readonly<Record<Rule, string>> = {
  // 问题（征题 → 领题 → 解题 → 评题）
  'problem.not_found': '没有找到这个问题。请核对问题编号，或回到问题列表重新打开。',
  'problem.closed': '这个问题已经销号，不能再办理。',
  'problem.rejected': '这个问题已不予受理，不能再办理。',
  'problem.office_outside_district':
    '这个问题（或要转办到的单位）不在本区。领导小组办公室只能办理本区的问题，只能转办给本区的单位。',
  'problem.solicit.already_exists': '这个问题编号已经登记过了。如果是重复提交，请到问题列表中查看；否则请换一个编号。',
  'problem.solicit.source_not_allowed':
    '以您现在的身份不能登记这种来源的问题。居民、企业只能反映自己的问题，督查件由领导小组办公室登记。',
  'problem.solicit.not_the_raiser': '您只能以自己的名义反映问题。如需替他人反映，请联系网格员或社区。',
  'problem.solicit.outside_own_unit': '您只能在本单位或下级单位登记问题，请重新选择单位。',
  'problem.solicit.raiser_mismatch': '反映人与问题来源不一致：居民反映的问题请填写居民，企业反映的问题请填写企业。',
  'problem.solicit.unknown_unit': '所选单位不在单位名录中，请重新选择问题所在单位。',
  'problem.solicit.title_required': '请填写问题标题。',
  'problem.assign.not_office': '只有领导小组办公室可以转办问题。',
  'problem.assign.not_open': '这个问题已被领题或已办结，不能再转办。',
  'problem.assign.unknown_unit': '转办单位不在单位名录中，请重新选择。',
  'problem.claim.already_claimed': '这个问题已经有人领题了，不能重复领题。',
  'problem.claim.not_secretary_of_unit': '只有问题所在单位或其上级单位的党组织书记可以领题。',
  'problem.claim.not_handler_of_department': '只有问题转办到的部门的承办人可以领题。',
  'problem.claim.plan_required': '请填写解题方案，写明打算怎么解决。',
  'problem.claim.promised_date_in_past': '承诺办结日期不能早于今天，请重新选择日期。',
  'problem.escalate.not_claimed': '只有已领题的问题才能上报。',
  'problem.escalate.not_claimant': '只有领题人可以上报这个问题。',
  'problem.escalate.at_top_level': '这个问题已在区一级，不能再往上报。',
  'problem.escalate.reason_required': '请填写上报理由，说明本级为什么解决不了。',
  'problem.supervise.not_office': '只有领导小组办公室可以督办。',
  'problem.supervise.not_overdue': '这个问题还没有超期，不能以超期为由督办。',
  'problem.supervise.not_reopened': '这个问题没有返工，不能以返工为由督办。',
  'problem.reject.not_open': '这个问题已被领题或已办结，不能再作不予受理。',
  'problem.reject.not_office_or_unit_secretary': '只有领导小组办公室或问题所在单位的党组织书记可以不予受理。',
  'problem.reject.reason_required': '请填写不予受理的理由。',
  'problem.progress.not_claimed': '只有已领题的问题才能记录办理进展。',
  'problem.progress.not_claimant': '只有领题人可以记录办理进展。',
  'problem.progress.note_required': '请填写进展情况。',
  'problem.solve.not_claimed': '只有已领题的问题才能报告解题。',
  'problem.solve.not_claimant': '只有领题人可以报告解题。',
  'problem.solve.summary_required': '请填写办理情况，写明做了哪些事。',
  'problem.solve.evidence_required': '请至少上传一份佐证材料（照片或文件）。',
  'problem.resolve_on_site.not_secretary_of_unit':
    '只有本单位或上级单位的党组织书记可以现场解决问题。现场解决不了的，请作为走访中发现的问题登记，带回去办理。',
  'problem.evaluate.not_solved': '这个问题还没有解决，暂时不能评价。',
  'problem.evaluate.not_raiser': '百姓评只能由反映这个问题的居民本人作出。',
  'problem.evaluate.not_raising_enterprise': '企业评只能由反映这个问题的企业作出。',
  'problem.evaluate.not_office': '考核评只能由领导小组办公室作出。',
  'problem.evaluate.callback_not_office': '回访评价只能由领导小组办公室代为记录。',
  'problem.evaluate.no_raiser_to_call_back': '此问题没有可回访的反映人，请改用考核评。',
  'problem.evaluate.callback_kind_mismatch': '回访记录的评价方须与反映人一致（群众或企业）。',

  // 微心愿（寻梦 → 领梦 → 圆梦 → 亮梦）
  'wish.not_found': '没有找到这个心愿。请回到心愿列表重新打开。',
  'wish.cancelled': '这个心愿已撤销，不能再办理。',
  'wish.office.outside_district': '这个心愿不在本区，只能由所在区的领导小组办公室办理。',
  'wish.collect.already_collected': '这个心愿编号已经登记过了，请到心愿列表中查看，不要重复提交。',
  'wish.collect.unknown_unit': '所选单位不在单位名录中，请重新选择心愿所在单位。',
  'wish.collect.retired_unit': '所选单位已撤销，不再收集新的心愿，请选择现在的单位。',
  'wish.collect.not_a_collector': '只有居民本人、网格员、党员或党组织书记可以登记心愿。',
  'wish.collect.resident_for_another': '居民只能登记自己的心愿。替他人登记请联系网格员或党员。',
  'wish.collect.role_not_held': '您现在不担任所选身份，不能以这个身份登记心愿。',
  'wish.collect.outside_collector_unit': '您只能在自己任职的单位里登记心愿，请重新选择单位。',
  'wish.claim.already_claimed': '这个心愿已被其他党员领梦，或已不能认领。',
  'wish.claim.not_a_member': '只有党员可以领梦，请以党员身份操作。',
  'wish.claim.own_wish': '不能认领自己的心愿。',
  'wish.claim.outside_home_district': '只能认领本区的心愿（分区认领），这个心愿不在您所在的区。',
  'wish.claim.quota_reached': '您在领的心愿已达上限。请先圆梦或放弃一个，再认领新的。',
  'wish.release.not_claimed': '这个心愿不在认领中，不需要放弃。',
  'wish.release.not_claimant': '只有认领人可以放弃认领。',
  'wish.fulfil.not_claimed': '只有认领中的心愿才能报告圆梦。',
  'wish.fulfil.not_claimant': '只有认领人可以报告圆梦。',
  'wish.confirm.not_fulfilled': '这个心愿还没有圆梦，暂时不能确认。',
  'wish.confirm.not_wisher': '只有心愿人本人，或替其登记心愿的征集人，可以确认。',
  'wish.confirm.by_claimant': '您是这个心愿的认领人，不能替心愿人确认自己的圆梦，请由心愿人本人确认。',
  'wish.showcase.already_showcased': '这个心愿已经亮梦，不需要重复。',
  'wish.showcase.not_confirmed': '心愿人确认满意后才能亮梦。',
  'wish.showcase.not_office_or_claimant': '只有领导小组办公室或认领人可以亮梦。',
  'wish.showcase.no_consent': '心愿人不同意公开，这个心愿不能亮梦。',
  'wish.showcase.story_reveals_wisher': '亮梦故事里不能出现心愿人的姓名、电话或住址，请修改后再提交。',
  'wish.showcase.wisher_sealed': '系统暂时无法核对亮梦故事，请稍后再试；如仍不行，请联系系统管理员。',
  'wish.cancel.after_fulfilment': '这个心愿已经圆梦，不能再撤销。',
  'wish.cancel.withdraw_not_wisher': '只有心愿人本人，或替其登记心愿的征集人，可以撤回心愿。',
  'wish.cancel.invalid_not_office_or_secretary':
    '只有领导小组办公室，或征集单位及其上级单位的党组织书记，可以将心愿作废。',
  'wish.cancel.reason_required': '将心愿作废须填写理由。',

  // 走访（入户走访、五问五解决、处长网格员）
  'visit.not_found': '没有找到这条走访记录，请核对走访编号。',
  'visit.cancelled': '这条走访记录已经作废，不能再办理。',
  'visit.record.already_recorded': '这个走访编号已经登记过了，请换一个编号。',
  'visit.record.unknown_unit': '没有找到这个单位，请核对走访所在的网格或社区。',
  'visit.record.retired_unit': '这个单位已撤销，不再登记新的走访。',
  'visit.record.not_a_visitor': '走访由网格员、党员、党组织书记、部门工作人员或领导小组办公室登记，请以这些身份办理。',
  'visit.record.role_not_held': '您没有担任所选的身份，请换成您担任的身份再登记。',
  'visit.record.outside_visitor_unit': '这户不在您任职的单位范围内。只能在本单位及下级单位走访；部门干部可在本区走访。',
  'visit.record.not_an_official': '处长网格员走访须由党组织书记、部门干部或领导小组办公室登记。',
  'visit.record.future_date': '走访日期不能晚于今天，请在走访当天或之后登记。',
  'visit.record.topics_required': '五问五解决须至少选择一项所问的内容（生产、环境、文化、建议、民生）。',
  'visit.record.topics_not_asked': '所问内容只用于五问五解决，其他走访请不要选择。',
  'visit.cancel.not_visitor_or_secretary': '只有走访人本人，或所在单位及上级单位的党组织书记，可以作废走访记录。',

  // 单位和人员名录
  'directory.not_office': '只有领导小组办公室可以维护单位和人员名录。',
  'directory.outside_office_district': '这个单位不在本区。只能维护本区的单位和人员；新设区由系统管理员登记。',
  'directory.unit.already_registered': '这个单位编号已经登记过了，请换一个编号。',
  'directory.unit.not_found': '没有找到这个单位，请核对单位编号。',
  'directory.unit.retired': '这个单位已撤销，不能再修改。',
  'directory.unit.name_required': '请填写单位名称。',
  'directory.unit.district_has_no_parent': '区是最高一级，不能选择上级单位。',
  'directory.unit.parent_required': '请选择上级单位：街镇和部门在区之下，社区在街镇之下，网格在社区之下。',
  'directory.unit.parent_not_found': '所选上级单位不在名录中，请重新选择。',
  'directory.unit.parent_retired': '所选上级单位已撤销，不能再增设下级单位。',
  'directory.unit.parent_wrong_kind': '上级单位的层级不对：上级须正好高一级，如网格在社区之下，社区在街镇之下。',
  'directory.person.already_registered': '这个人员编号已经登记过了，请换一个编号。',
  'directory.person.not_found': '没有找到这个人员，请核对人员编号。',
  'directory.person.deactivated': '这个人员已停用，不能再修改。',
  'directory.person.name_required': '请填写姓名。',
  'directory.role.unit_not_found': '任职单位不在名录中，请重新选择。',
  'directory.role.unit_retired': '任职单位已撤销，不能在那里授予角色。',
  'directory.role.wrong_unit_kind':
    '这个角色不能在这一级单位担任：部门承办人须在部门，网格员须在网格，党员和领导小组办公室须在区。',
  'directory.role.wrong_person_kind': '这类人员不能担任这个角色，如居民不能任书记，企业不能任党员。',
  'directory.role.already_held': '此人已在这个单位担任这个角色。',
  'directory.role.held_elsewhere': '此人已在另一个单位担任这个角色，这个角色同时只能在一个单位担任。请先在原单位收回。',
  'directory.role.not_held': '此人没有在这个单位担任这个角色，不需要收回。',

  // 活动
  'campaign.not_office': '只有领导小组办公室可以发起和调整活动。',
  'campaign.outside_office_district': '这个活动不属于本区，只能管理本区的活动。',
  'campaign.already_launched': '这个活动编号已经发起过了，请换一个编号。',
  'campaign.not_found': '没有找到这个活动，请核对活动编号。',
  'campaign.closed': '这个活动已经结束，不能再修改。',
  'campaign.name_required': '请填写活动名称。',
  'campaign.district_not_found': '所选的区不在名录中或已撤销，请重新选择。',
  'campaign.invalid_date': '活动日期格式不对，请按年-月-日填写。',
  'campaign.period_end_not_after_start': '活动结束日期须晚于开始日期。',
  'campaign.target_not_positive': '目标须是大于零的整数。',
  'campaign.quota_not_positive': '配额须是大于零的整数。',
  'campaign.reason_required': '调整活动须填写理由，供审计查阅。',

  // 结新亲（结对 → 探亲 → 换人 → 结束）
  'pairing.not_found': '没有找到这个结对。请核对结对编号。',
  'pairing.ended': '这个结对已经结束，不能再办理。',
  'pairing.not_office_or_secretary': '只有领导小组办公室或家庭所在单位的书记可以结对、换人或结束结对。',
  'pairing.pair.already_paired': '这个结对编号已经用过了，请换一个编号。',
  'pairing.pair.unknown_unit': '所选的单位不在名录中，请重新选择家庭所在单位。',
  'pairing.pair.retired_unit': '这个单位已经撤销，不能再新建结对。',
  'pairing.unknown_official': '所选的干部不在名录中或已停用，请重新选择结对干部。',
  'pairing.reassign.same_official': '这户家庭现在就是由这名干部结对的，请选另一名干部。',
  'pairing.consent.not_official_or_organiser': '只有结对干部、领导小组办公室或所在单位的书记可以记录家庭的意愿。',
  'pairing.consent.unchanged': '家庭的意愿没有变化，不需要重复记录。',
  'pairing.visit.not_current_official': '只有这户家庭现在的结对干部可以记录探亲。',
  'pairing.visit.already_recorded': '这次探亲已经记录过了，请刷新页面查看。',
  'pairing.visit.in_future': '探亲时间晚于现在，不能填写将来的时间。',
  'pairing.visit.before_pairing': '探亲时间早于结对开始的时间，请核对探亲时间。',
  'pairing.visit.excerpt_reveals_household':
    '公开摘录里不能出现家庭成员的姓名、电话、住址，也不能有一串数字，请改写后再提交。',
  'pairing.visit.household_sealed': '暂时无法核对定位和摘录，请稍后重试或联系系统管理员。',
  'pairing.need.not_official_or_organiser': '只有结对干部、领导小组办公室或所在单位的书记可以登记家庭提报的需求。',
  'pairing.need.unknown_visit': '所填的探亲记录不属于这个结对，请核对探亲编号。',
  'pairing.need.already_linked': '这个问题或心愿已经登记在这个结对下了。',
  // 企业服务专员
  'service.not_assigned': '这家企业还没有指定服务专员，请先指定。',
  'service.ended': '这家企业的服务已经结束；如需继续服务，请重新指定服务专员。',
  'service.not_office': '只有领导小组办公室（工作专班）可以指定、更换服务专员或结束服务。',
  'service.office.outside_district': '这家企业不在本区，只能为本区的企业指定服务专员。',
  'service.assign.already_assigned': '这家企业已有服务专员（一企一专员）；如需换人，请使用“更换服务专员”。',
  'service.assign.unknown_unit': '企业所在单位不在名录中，请核对后重新选择。',
  'service.assign.retired_unit': '企业所在单位已撤销，不能再指定新的服务。',
  'service.officer.cannot_serve': '这位干部在本区没有可担任服务专员的身份（书记、部门干部或党员），请另选一位。',
  'service.officer.role_not_held': '这位干部在本区不担任所选的身份，请重新选择身份。',
  'service.replace.same_officer': '这位干部已经是这家企业的服务专员，请选择另一位。',
  'service.contact.not_officer': '只有这家企业现任的服务专员可以记录对接。',
  'service.contact.role_not_held': '您已不再担任服务所依的身份，不能再记录对接；请联系工作专班更换服务专员。',
  'service.contact.in_future': '对接日期不能晚于今天。',
  'service.contact.before_assignment': '对接日期早于您被指定为服务专员的日期，请核对日期。',
  'service.contact.already_recorded': '这条对接记录已经登记过了。',
  'service.contact.repeated_role': '同一条对接中每项职责只填一次，请合并重复的内容。',
  'service.contact.repeated_need': '这条需求编号已经登记过，请换一个编号。',
  'service.raise.not_officer': '只有这家企业现任的服务专员可以登记需求转题。',
  'service.raise.unknown_contact': '没有找到这条对接记录，请核对编号。',
  'service.raise.unknown_need': '这条对接记录中没有这条需求，请核对需求编号。',
  'service.raise.already_linked': '这个问题已经和这家企业的服务关联过了。',

  // 办理时间与并发
  'command.invalid_metadata': '办理人或办理时间没有正确提交，请刷新页面后重试。',
  'command.now_before_stream': '办理时间早于这件事上一次办理的时间，请核对时间后重试。',
  'command.now_ahead_of_clock': '办理时间晚于现在，不能填写将来的时间。请检查设备时间后重试。',
  'command.retries_exhausted': '同一时间还有其他人在办理这件事，请稍后重试。',
  'command.overtaken': '刚刚有人先办理了这件事。请刷新页面查看后再决定是否重试。',
  'command.stale_expected_revision': zhActedFirst,

  // 存储
  'store.wrong_expected_revision': zhActedFirst,
  'store.duplicate_event': '这次提交已经办理过了，请刷新页面查看结果。',
  'store.undecodable_event': '这件事的记录暂时无法读取，请联系系统管理员。',
  'store.invalid_stream_id': '事项编号有误，请回到列表重新打开。',
  'store.invalid_expected_revision': '页面上的版本号有误，请刷新页面后重试。',
  'store.invalid_event': '提交的内容无法保存，请刷新页面后重试。',
  'store.invalid_event_id': '提交的记录编号有误，请刷新页面后重试。',
  'store.invalid_event_type': '提交的记录类型有误，请联系系统管理员。',
  'store.invalid_schema_version': '提交的记录版本有误，请联系系统管理员。',
  'store.invalid_occurred_at': '办理时间格式有误，请刷新页面后重试。',
  'store.invalid_actor': '办理人信息有误，请重新登录后再试。',
  'store.invalid_data': '有些内容不符合要求，无法保存，请检查填写的内容。',
  'store.invalid_text': '填写的内容里有无法保存的字符，请删去特殊符号后重试。',
  'store.event_too_large': '提交的内容太长，请精简后再提交。',
  'store.invalid_read_option': '查询条件有误，请刷新页面后重试。',

  // 个人信息与遗忘
  'forgetting.not_office': '只有领导小组办公室可以办理删除个人信息。',
  'forgetting.outside_office_district': '此人不在本区，只能为本区人员办理删除个人信息。',
  'forgetting.already_forgotten': '此人的个人信息已经删除，不需要重复办理。',
  'forgetting.invalid_subject': '要删除个人信息的对象编号有误，请核对后重试。',
  'forgetting.invalid_reference': '请填写办公室的案件编号：1 到 64 位字母、数字或 . _ : / -，不要写姓名。',
  'privacy.subject_forgotten': '此人的个人信息已按规定删除，不能再为其登记新的个人信息。',
  'privacy.key_missing': '个人信息暂时无法读取，请联系系统管理员。',
  'privacy.ciphertext_rejected': '个人信息核验未通过，可能被改动过，请联系系统管理员。',
  'privacy.clear_value_at_sealed_version': '应当加密保存的个人信息没有加密，请联系系统管理员。',
  'privacy.sealed_value_at_clear_version': '个人信息的加密方式与记录版本不符，请联系系统管理员。',
  'privacy.reveal.no_purpose': '查看联系方式须选择用途并说明理由。',
  'privacy.unsealable_value': '这项个人信息无法加密保存，请联系系统管理员。',
  'privacy.key_store.invalid_subject': '个人信息对象编号有误，请联系系统管理员。',
  'privacy.key_store.invalid_forgotten_at': '删除个人信息的时间格式有误，请联系系统管理员。',

  // 接口
  'api.unauthenticated': zhSignedOut,
  'api.token_keys_unavailable': zhUnavailable,
  'api.body_not_json': '提交的内容格式有误，请刷新页面后重试。',
  'api.unsupported_media_type': '提交方式不受支持，请刷新页面后重试。',
  'api.body_too_large': '一次提交的内容太多，请精简后再提交。',
  'api.body_not_object': '表单内容没有正确提交，请刷新页面后重试。',
  'api.unknown_fields': '表单里有系统不认识的项目，请刷新页面后重试。',
  'api.invalid_text': '填写的内容太长，或含有无法显示的字符，请修改后重试。',
  'api.not_in_directory': '您的账号不在人员名录中或已停用，请联系领导小组办公室。',
  'api.queue_not_office': '调度台只对领导小组办公室开放。',
  'api.invalid_path_parameter': '页面地址里的编号有误，请回到列表重新打开。',
  'api.path_body_mismatch': '表单里的编号与页面不一致，请刷新页面后重试。',
  'api.no_role_for_command': '您没有办理这项事务的身份。如需办理，请联系领导小组办公室授予相应角色。',
  'api.role_not_held': '您现在不担任所选身份，请重新选择身份。',
  'api.invalid_acting_role': '所选身份无效，请重新选择。',
  'api.invalid_if_match': '页面的版本信息有误，请刷新页面后重试。',
  'api.invalid_idempotency_key': '提交编号有误，请刷新页面后重试。',
  'api.idempotency_key_reused': '这次提交与之前另一次提交的编号重复，请刷新页面后重新填写。',
  'api.occurred_at_not_allowed': '只有获准补录线下办理的系统可以填写发生时间。',
  'api.occurred_at_out_of_bounds': '发生时间格式不对，或早于可以补录的期限。',
  'api.not_found': '没有找到要办理的事项，请回到列表重新打开。',
  'api.method_not_allowed': '这项操作不能这样提交，请刷新页面后重试。',
  'api.too_many_requests': '操作太频繁，请稍等一会儿再试。',
  'api.personal_data_not_allowed': '只有当前认领人和本区领导小组办公室可以查看联系方式。',
  'api.unavailable': zhUnavailable,
  'api.internal': '系统出错了，请稍后再试；如仍不行，请联系系统管理员。',
  'api.malformed_request': '请求有误，请刷新页面后重试。',
  'input.invalid': '有些内容没有填写或格式不对，请按提示修改。',
  'input.undecodable': '提交的内容无法读取，请刷新页面后重试。',

  // 工作台
  'evidence.too_large': '文件太大，请压缩或换一个小一些的文件再上传。',
  'evidence.unsupported_type': '不支持这种文件，请上传照片或 PDF 文件。',
  'evidence.type_mismatch': '文件内容与文件类型不符，请确认文件完好后重新上传。',
  'evidence.unreadable': '文件打不开，可能已损坏，请换一个文件再上传。',
  'evidence.too_many_pixels': '照片尺寸太大，请缩小后再上传。',
  'evidence.too_many_files': '一次上传的文件太多，请减少几份再上传。',
  'evidence.missing': '没有收到文件，请选择要上传的文件。',
  'workbench.csrf_invalid': '页面已过期，请刷新页面后重新提交。',
  'workbench.signed_out': zhSignedOut,
  'workbench.conflict': zhActedFirst,
  'workbench.api_unavailable': zhUnavailable,
  'workbench.field_required': '请填写这一项。',
  'workbench.invalid_date': '请填写正确的日期，如 2026-12-01。',
};

const en: Readonly<Record<Rule, string>> = {
  'problem.not_found': 'This problem could not be found. Check its number, or open it again from the list.',
  'problem.closed': 'This problem has been closed and cannot be acted on any more.',
  'problem.rejected': 'This problem was rejected and cannot be acted on any more.',
  'problem.office_outside_district':
    'This problem, or the unit you are routing it to, is outside your district. The office acts only on problems and units of its own district.',
  'problem.solicit.already_exists':
    'A problem with this number is already recorded. If you sent it twice, find it in the list; otherwise use another number.',
  'problem.solicit.source_not_allowed':
    'Your role cannot record a problem from this source. Residents and enterprises raise only their own problems; supervision cases are recorded by the office.',
  'problem.solicit.not_the_raiser':
    'You can raise a problem only in your own name. To raise one for someone else, ask your grid worker or community.',
  'problem.solicit.outside_own_unit':
    'You can record problems only in your own unit or the units below it. Choose one of those.',
  'problem.solicit.raiser_mismatch':
    'The raiser does not match the source: a problem from a resident needs a resident, one from an enterprise needs an enterprise.',
  'problem.solicit.unknown_unit': "The chosen unit is not in the directory. Choose the problem's unit again.",
  'problem.solicit.title_required': 'Enter a title for the problem.',
  'problem.assign.not_office': 'Only the leading-group office can route a problem to a unit.',
  'problem.assign.not_open': 'This problem is already claimed or finished, so it can no longer be routed.',
  'problem.assign.unknown_unit': 'The unit to route to is not in the directory. Choose it again.',
  'problem.claim.already_claimed': 'Someone has already claimed this problem.',
  'problem.claim.not_secretary_of_unit':
    "Only a party secretary of the problem's unit, or of a unit above it, can claim it.",
  'problem.claim.not_handler_of_department':
    'Only a handler of the department this problem was routed to can claim it.',
  'problem.claim.plan_required': 'Enter a plan: say how you will solve it.',
  'problem.claim.promised_date_in_past': 'The promised date cannot be before today. Choose another date.',
  'problem.escalate.not_claimed': 'Only a claimed problem can be passed up a level.',
  'problem.escalate.not_claimant': 'Only the person who claimed this problem can pass it up a level.',
  'problem.escalate.at_top_level': 'This problem is already at district level; there is no level above to pass it to.',
  'problem.escalate.reason_required': 'Enter a reason: say why it cannot be solved at this level.',
  'problem.supervise.not_office': 'Only the leading-group office can put a problem under supervision.',
  'problem.supervise.not_overdue': 'This problem is not overdue, so it cannot be supervised as overdue.',
  'problem.supervise.not_reopened': 'This problem is not being reworked, so it cannot be supervised as reopened.',
  'problem.reject.not_open': 'This problem is already claimed or finished, so it can no longer be rejected.',
  'problem.reject.not_office_or_unit_secretary':
    "Only the office or a party secretary of the problem's unit can reject it.",
  'problem.reject.reason_required': 'Enter the reason for rejecting it.',
  'problem.progress.not_claimed': 'Progress can be noted only on a claimed problem.',
  'problem.progress.not_claimant': 'Only the person who claimed this problem can note its progress.',
  'problem.progress.note_required': 'Write what progress has been made.',
  'problem.solve.not_claimed': 'Only a claimed problem can be reported solved.',
  'problem.solve.not_claimant': 'Only the person who claimed this problem can report it solved.',
  'problem.solve.summary_required': 'Enter a summary of what was done.',
  'problem.solve.evidence_required': 'Add at least one piece of evidence, such as a photo or a document.',
  'problem.resolve_on_site.not_secretary_of_unit':
    'Only a party secretary of this unit or a unit above it can solve a problem on site. If it cannot be solved on the spot, record it as a problem found on the visit and take it back.',
  'problem.evaluate.not_solved': 'This problem is not solved yet, so it cannot be rated.',
  'problem.evaluate.not_raiser': "Only the resident who raised this problem can give the residents' rating.",
  'problem.evaluate.not_raising_enterprise':
    'Only the enterprise that raised this problem can give the enterprise rating.',
  'problem.evaluate.not_office': 'Only the leading-group office can give the assessment rating.',
  'problem.evaluate.callback_not_office': 'Only the leading-group office can record a verdict taken by callback.',
  'problem.evaluate.no_raiser_to_call_back':
    'Nobody raised this problem who could be called back. Give an assessment instead.',
  'problem.evaluate.callback_kind_mismatch':
    'A callback verdict must be of the kind of whoever raised it (resident or enterprise).',

  'wish.not_found': 'This wish could not be found. Open it again from the list of wishes.',
  'wish.cancelled': 'This wish was cancelled and cannot be acted on any more.',
  'wish.office.outside_district':
    "This wish is outside your office's district; only the office of its own district can act on it.",
  'wish.collect.already_collected':
    'A wish with this number is already recorded. Find it in the list rather than sending it again.',
  'wish.collect.unknown_unit': "The chosen unit is not in the directory. Choose the wish's unit again.",
  'wish.collect.retired_unit': 'The chosen unit has been retired and takes no new wishes. Choose the current unit.',
  'wish.collect.not_a_collector':
    'Only the resident themself, a grid worker, a party member or a party secretary can record a wish.',
  'wish.collect.resident_for_another':
    'A resident can record only their own wish. To record one for someone else, ask a grid worker or a party member.',
  'wish.collect.role_not_held': 'You do not hold the role you chose, so you cannot record a wish in it.',
  'wish.collect.outside_collector_unit': 'You can record wishes only inside the unit where you hold your role.',
  'wish.claim.already_claimed': 'Another member has already claimed this wish, or it can no longer be claimed.',
  'wish.claim.not_a_member': 'Only a party member can claim a wish. Act in your party-member role.',
  'wish.claim.own_wish': 'You cannot claim your own wish.',
  'wish.claim.outside_home_district': 'You can claim only wishes in your own district, and this one is elsewhere.',
  'wish.claim.quota_reached':
    'You already hold as many open wishes as allowed. Fulfil or release one before claiming another.',
  'wish.release.not_claimed': 'This wish is not claimed, so there is nothing to release.',
  'wish.release.not_claimant': 'Only the member who claimed this wish can release it.',
  'wish.fulfil.not_claimed': 'Only a claimed wish can be reported fulfilled.',
  'wish.fulfil.not_claimant': 'Only the member who claimed this wish can report it fulfilled.',
  'wish.confirm.not_fulfilled': 'This wish has not been fulfilled yet, so it cannot be confirmed.',
  'wish.confirm.not_wisher': 'Only the wisher, or the person who recorded the wish for them, can confirm it.',
  'wish.confirm.by_claimant':
    'You claimed this wish, so you cannot confirm your own fulfilment for the wisher. The wisher must confirm it.',
  'wish.showcase.already_showcased': 'This wish is already on show.',
  'wish.showcase.not_confirmed': 'A wish can be shown only after the wisher has confirmed they are satisfied.',
  'wish.showcase.not_office_or_claimant': 'Only the office or the member who claimed the wish can show it.',
  'wish.showcase.no_consent': 'The wisher did not agree to be shown, so this wish cannot be shown.',
  'wish.showcase.story_reveals_wisher':
    "The story must not give the wisher's name, phone number or address. Edit it and send it again.",
  'wish.showcase.wisher_sealed':
    'The story could not be checked just now. Try again later; if it keeps failing, tell the system administrator.',
  'wish.cancel.after_fulfilment': 'This wish has been fulfilled and can no longer be cancelled.',
  'wish.cancel.withdraw_not_wisher': 'Only the wisher, or the person who recorded the wish for them, can withdraw it.',
  'wish.cancel.invalid_not_office_or_secretary':
    'Only the office, or a party secretary of the collecting unit or a unit above it, can declare a wish invalid.',
  'wish.cancel.reason_required': 'Enter a reason for declaring the wish invalid.',

  'visit.not_found': 'No visit record has this number. Check the visit number.',
  'visit.cancelled': 'This visit record was cancelled and can no longer be changed.',
  'visit.record.already_recorded': 'A visit with this number is already recorded. Use another number.',
  'visit.record.unknown_unit': 'This unit is not in the directory. Check the grid or community of the visit.',
  'visit.record.retired_unit': 'This unit was retired and takes no new visits.',
  'visit.record.not_a_visitor':
    'Visits are recorded by a grid worker, member, party secretary, department official or the office. Act in one of those roles.',
  'visit.record.role_not_held': 'You do not hold the role you chose. Choose a role you hold and record it again.',
  'visit.record.outside_visitor_unit':
    'This household is outside the unit where you hold your role. Visit inside your unit or below it; department officials visit within their district.',
  'visit.record.not_an_official':
    'An official grid day is recorded by a party secretary, a department official or the office.',
  'visit.record.future_date': 'The date of the visit cannot be after today. Record it on the day or later.',
  'visit.record.topics_required':
    'A five-questions visit needs at least one topic asked about: production, environment, culture, suggestions or living.',
  'visit.record.topics_not_asked': 'Topics belong to five-questions visits only. Leave them out for other visits.',
  'visit.cancel.not_visitor_or_secretary':
    "Only the visitor, or a party secretary of the visit's unit or a unit above it, can cancel a visit record.",

  'directory.not_office': 'Only the leading-group office can change the directory of units and people.',
  'directory.outside_office_district':
    'This unit is outside your district. The office changes only its own district; a new district is registered by the system administrator.',
  'directory.unit.already_registered': 'A unit with this id is already registered. Use another id.',
  'directory.unit.not_found': 'This unit could not be found. Check its id.',
  'directory.unit.retired': 'This unit has been retired and cannot be changed.',
  'directory.unit.name_required': "Enter the unit's name.",
  'directory.unit.district_has_no_parent':
    'A district is the top level and has no parent unit. Leave the parent empty.',
  'directory.unit.parent_required':
    'Choose a parent unit: streets and departments sit under a district, communities under a street, grids under a community.',
  'directory.unit.parent_not_found': 'The chosen parent unit is not in the directory. Choose it again.',
  'directory.unit.parent_retired': 'The chosen parent unit has been retired and takes no new units.',
  'directory.unit.parent_wrong_kind':
    'The parent is at the wrong level: it must be exactly one level up, such as a grid under a community or a community under a street.',
  'directory.person.already_registered': 'A person with this id is already registered. Use another id.',
  'directory.person.not_found': 'This person could not be found. Check their id.',
  'directory.person.deactivated': 'This person has been deactivated and cannot be changed.',
  'directory.person.name_required': "Enter the person's name.",
  'directory.role.unit_not_found': 'The unit for this role is not in the directory. Choose it again.',
  'directory.role.unit_retired': 'The unit for this role has been retired; no roles can be granted there.',
  'directory.role.wrong_unit_kind':
    'This role cannot be held in a unit of this kind: a department handler sits in a department, a grid worker in a grid, a member or the office in a district.',
  'directory.role.wrong_person_kind':
    'This kind of person cannot hold this role: a resident cannot be a secretary, an enterprise cannot be a member.',
  'directory.role.already_held': 'This person already holds this role in this unit.',
  'directory.role.held_elsewhere':
    'This person holds this role in another unit, and it is held in one unit at a time. Revoke it there first.',
  'directory.role.not_held': 'This person does not hold this role in this unit, so there is nothing to revoke.',

  'campaign.not_office': 'Only the leading-group office can launch or change a campaign.',
  'campaign.outside_office_district':
    "This campaign belongs to another district; the office manages only its own district's campaigns.",
  'campaign.already_launched': 'A campaign with this id has already been launched. Use another id.',
  'campaign.not_found': 'This campaign could not be found. Check its id.',
  'campaign.closed': 'This campaign is closed and cannot be changed.',
  'campaign.name_required': "Enter the campaign's name.",
  'campaign.district_not_found': 'The chosen district is not in the directory, or has been retired. Choose it again.',
  'campaign.invalid_date': 'A campaign date is not valid. Write it as year-month-day.',
  'campaign.period_end_not_after_start': 'The campaign must end after it starts.',
  'campaign.target_not_positive': 'Each target must be a whole number greater than zero.',
  'campaign.quota_not_positive': 'Each quota must be a whole number greater than zero.',
  'campaign.reason_required': 'Enter a reason for the change; auditors read it.',

  'pairing.not_found': 'This pairing could not be found. Check its id.',
  'pairing.ended': 'This pairing has ended; nothing more can be done on it.',
  'pairing.not_office_or_secretary':
    "Only the leading-group office, or a secretary over the household's unit, can pair, reassign or end a pairing.",
  'pairing.pair.already_paired': 'A pairing with this id already exists. Use another id.',
  'pairing.pair.unknown_unit': "The chosen unit is not in the directory. Choose the household's unit again.",
  'pairing.pair.retired_unit': 'This unit has been retired and takes no new pairings.',
  'pairing.unknown_official': 'The chosen official is not in the directory or is no longer active. Choose another.',
  'pairing.reassign.same_official': 'This official is already paired with the household. Choose another one.',
  'pairing.consent.not_official_or_organiser':
    "Only the household's official, the office, or a secretary over its unit can record its consent.",
  'pairing.consent.unchanged': "The household's consent is already recorded as that.",
  'pairing.visit.not_current_official': "Only the household's current official can record a visit.",
  'pairing.visit.already_recorded': 'This visit is already recorded. Reload the page to see it.',
  'pairing.visit.in_future': 'The visit time is in the future. Enter when the visit took place.',
  'pairing.visit.before_pairing': 'The visit time is before the pairing began. Check the time.',
  'pairing.visit.excerpt_reveals_household':
    "The public excerpt must not give the household's name, phone or address, nor any run of digits. Rewrite it.",
  'pairing.visit.household_sealed':
    'The check-in and excerpt cannot be checked just now. Try again, or contact the system administrator.',
  'pairing.need.not_official_or_organiser':
    "Only the household's official, the office, or a secretary over its unit can note a need it reported.",
  'pairing.need.unknown_visit': 'That visit is not one of this pairing. Check the visit id.',
  'pairing.need.already_linked': 'This problem or wish is already noted on this pairing.',
  'service.not_assigned': 'This enterprise has no service officer yet. Assign one first.',
  'service.ended': "This enterprise's service has ended. To serve it again, assign a service officer anew.",
  'service.not_office':
    'Only the leading-group office (task force) can assign or replace a service officer, or end a service.',
  'service.office.outside_district':
    "This enterprise lies in another district; the office assigns officers only to its own district's enterprises.",
  'service.assign.already_assigned':
    'This enterprise already has a service officer (one per enterprise). To change, replace the officer.',
  'service.assign.unknown_unit': "The enterprise's unit is not in the directory. Check it and choose again.",
  'service.assign.retired_unit': "The enterprise's unit has been retired and takes no new services.",
  'service.officer.cannot_serve':
    'This official holds no role in the district that can serve an enterprise (secretary, department official or party member). Choose another.',
  'service.officer.role_not_held':
    'This official does not hold the chosen role in the district. Choose the role again.',
  'service.replace.same_officer': 'This official already serves this enterprise. Choose another.',
  'service.contact.not_officer': "Only the enterprise's current service officer can record a contact.",
  'service.contact.role_not_held':
    'You no longer hold the role you serve in, so you cannot record contacts. Ask the task force to replace the officer.',
  'service.contact.in_future': 'A contact cannot be dated after today.',
  'service.contact.before_assignment':
    'The contact is dated before you were assigned as service officer. Check the date.',
  'service.contact.already_recorded': 'This contact has already been recorded.',
  'service.contact.repeated_role': 'Give each role once per contact; merge the repeated entries.',
  'service.contact.repeated_need': 'This need number is already recorded. Use another number.',
  'service.raise.not_officer': "Only the enterprise's current service officer can link a need to a problem.",
  'service.raise.unknown_contact': 'This contact could not be found. Check its number.',
  'service.raise.unknown_need': 'That contact has no such need. Check the need number.',
  'service.raise.already_linked': "This problem is already linked to the enterprise's service.",

  'command.invalid_metadata': 'Who is acting, or when, was not sent correctly. Reload the page and try again.',
  'command.now_before_stream':
    'The time given is earlier than the last action on this item. Check the time and try again.',
  'command.now_ahead_of_clock': "The time given is in the future. Check your device's clock and try again.",
  'command.retries_exhausted': 'Others are working on this item at the same moment. Try again in a little while.',
  'command.overtaken':
    'Someone acted on this item a moment ago. Reload the page to see it, then decide whether to try again.',
  'command.stale_expected_revision': enActedFirst,

  'store.wrong_expected_revision': enActedFirst,
  'store.duplicate_event': 'This was already recorded. Reload the page to see the result.',
  'store.undecodable_event': "This item's records cannot be read just now. Tell the system administrator.",
  'store.invalid_stream_id': "The item's id is not valid. Open it again from the list.",
  'store.invalid_expected_revision': 'The page sent a wrong version number. Reload the page and try again.',
  'store.invalid_event': 'What was sent could not be saved. Reload the page and try again.',
  'store.invalid_event_id': 'A record id that was sent is not valid. Reload the page and try again.',
  'store.invalid_event_type': 'A record of an unknown type was sent. Tell the system administrator.',
  'store.invalid_schema_version': 'A record in a wrong format version was sent. Tell the system administrator.',
  'store.invalid_occurred_at': 'The time of the action is not valid. Reload the page and try again.',
  'store.invalid_actor': 'Who is acting was not recorded correctly. Sign in again and try again.',
  'store.invalid_data': 'Some of what was sent does not meet the rules and cannot be stored. Check what you entered.',
  'store.invalid_text': 'Some text holds characters that cannot be stored. Remove unusual symbols and try again.',
  'store.event_too_large': 'What you sent is too long. Shorten it and send it again.',
  'store.invalid_read_option':
    'The page asked for records in a way that is not allowed. Reload the page and try again.',

  'forgetting.not_office': 'Only the leading-group office can have personal data erased.',
  'forgetting.outside_office_district':
    'This person is outside your district; the office erases personal data only for people of its own district.',
  'forgetting.already_forgotten': "This person's personal data has already been erased.",
  'forgetting.invalid_subject': 'The id of the person whose data is to be erased is not valid. Check it and try again.',
  'forgetting.invalid_reference': "Enter the office's case number: 1 to 64 letters, digits or . _ : / -, and no names.",
  'privacy.subject_forgotten':
    "This person's personal data has been erased as required; no new personal data can be recorded for them.",
  'privacy.key_missing': 'Personal data cannot be read just now. Tell the system administrator.',
  'privacy.ciphertext_rejected':
    'Personal data failed its check and may have been altered. Tell the system administrator.',
  'privacy.clear_value_at_sealed_version':
    'Personal data that should be encrypted is stored unencrypted. Tell the system administrator.',
  'privacy.sealed_value_at_clear_version':
    'Personal data is encrypted in a way that does not match its record. Tell the system administrator.',
  'privacy.reveal.no_purpose': 'To see contact details, choose a purpose and say why.',
  'privacy.unsealable_value': 'This personal data cannot be stored encrypted. Tell the system administrator.',
  'privacy.key_store.invalid_subject': 'A personal-data subject id is not valid. Tell the system administrator.',
  'privacy.key_store.invalid_forgotten_at': 'The time of erasure is not valid. Tell the system administrator.',

  'api.unauthenticated': enSignedOut,
  'api.token_keys_unavailable': enUnavailable,
  'api.body_not_json': 'The form was sent in a format the service cannot read. Reload the page and try again.',
  'api.unsupported_media_type':
    'The form was sent in a way the service does not accept. Reload the page and try again.',
  'api.body_too_large': 'Too much was sent at once. Shorten it and send it again.',
  'api.body_not_object': "The form's contents were not sent correctly. Reload the page and try again.",
  'api.unknown_fields': 'The form holds fields the service does not know. Reload the page and try again.',
  'api.invalid_text': 'Some text is too long or holds characters that cannot be shown. Edit it and try again.',
  'api.not_in_directory': 'Your account is not in the directory or has been deactivated. Contact the office.',
  'api.queue_not_office': 'The dispatch queue is for the leading-group office only.',
  'api.invalid_path_parameter': 'The id in the page address is not valid. Open the item again from the list.',
  'api.path_body_mismatch': 'The id in the form does not match the page. Reload the page and try again.',
  'api.no_role_for_command': 'None of your roles allows this. Ask the office to grant you the right role.',
  'api.role_not_held': 'You do not hold the role you chose. Choose another role.',
  'api.invalid_acting_role': 'The role you chose is not a valid role. Choose again.',
  'api.invalid_if_match': "The page's version information is not valid. Reload the page and try again.",
  'api.invalid_idempotency_key': "The submission's key is not valid. Reload the page and try again.",
  'api.idempotency_key_reused':
    'This submission reuses the key of an earlier, different one. Reload the page and fill the form in again.',
  'api.occurred_at_not_allowed':
    'Only an integration allowed to record offline acts may give the time an act happened.',
  'api.occurred_at_out_of_bounds': 'The time it happened is not valid, or lies further back than may be recorded.',
  'api.not_found': 'Nothing was found here. Open the item again from the list.',
  'api.method_not_allowed': 'This action cannot be sent this way. Reload the page and try again.',
  'api.too_many_requests': 'Too many requests. Wait a moment and try again.',
  'api.personal_data_not_allowed':
    "Only the current claimant and the office of the item's district can see the contact details.",
  'api.unavailable': enUnavailable,
  'api.internal':
    'Something went wrong on our side. Try again later; if it keeps happening, tell the system administrator.',
  'api.malformed_request': 'The request could not be understood. Reload the page and try again.',
  'input.invalid': 'Some entries are missing or not in the right form. Correct them as shown.',
  'input.undecodable': 'What was sent could not be read. Reload the page and try again.',

  'evidence.too_large': 'The file is too large. Make it smaller, or choose a smaller file.',
  'evidence.unsupported_type': 'This kind of file is not accepted. Upload a photo or a PDF.',
  'evidence.type_mismatch': "The file's contents do not match its type. Check the file and upload it again.",
  'evidence.unreadable': 'The file could not be opened and may be damaged. Upload another file.',
  'evidence.too_many_pixels': 'The photo is too large in width and height. Resize it and upload it again.',
  'evidence.too_many_files': 'Too many files at once. Upload fewer.',
  'evidence.missing': 'No file arrived. Choose the file to upload.',
  'workbench.csrf_invalid': 'This form has expired. Reload the page and send it again.',
  'workbench.signed_out': enSignedOut,
  'workbench.conflict': enActedFirst,
  'workbench.api_unavailable': enUnavailable,
  'workbench.field_required': 'Please fill this in.',
  'workbench.invalid_date': 'Enter a valid date, such as 2026-12-01.',
};

export const refusalCatalogue: RefusalCatalogue = { zh, en };

/** Said when a rule has no words here (a rule newer than this catalogue). */
export const unknownRefusal: Readonly<Record<Lang, string>> = {
  zh: '没能办理成功。请检查填写的内容后再试；如仍不行，请联系领导小组办公室。',
  en: 'This could not be done. Check what you entered and try again; if it keeps failing, contact the office.',
};

export const isKnownRule = (rule: string): rule is Rule => Object.hasOwn(zh, rule);

/**
 * The refusal in the reader's language. A rule without words here: on the Chinese page the generic Chinese
 * sentence (`unknownRefusal.zh`), never the API's English `fallback`; on the English page the fallback
 * itself when it holds text (it is English, and says more than a generic sentence), else `unknownRefusal.en`.
 */
export const refusalText = (lang: Lang, rule: string, fallback: string): string => {
  const language: Lang = lang === 'en' ? 'en' : 'zh';
  if (isKnownRule(rule)) return refusalCatalogue[language][rule];
  if (language === 'en' && fallback.trim() !== '') return fallback.trim();
  return unknownRefusal[language];
};

interface Label {
  readonly zh: string;
  readonly en: string;
}

const l = (zhLabel: string, enLabel: string): Label => ({ zh: zhLabel, en: enLabel });

/**
 * Labels by field path, array indexes left out (`body.evidence.0.uri` is looked up as `body.evidence.uri`,
 * then as `body.evidence`). Headers are lower case, as the API names them.
 */
const labels: Readonly<Record<string, Label>> = {
  'body.problemId': l('问题编号', 'problem number'),
  'body.wishId': l('心愿编号', 'wish number'),
  'body.unitId': l('所在单位', 'unit'),
  'body.source': l('问题来源', 'source'),
  'body.grade': l('问题等级', 'grade'),
  'body.title': l('问题标题', 'title'),
  'body.description': l('描述', 'description'),
  'body.category': l('类别', 'category'),
  'body.raiser': l('反映人', 'person raising it'),
  'body.raiser.kind': l('反映人类型', 'kind of raiser'),
  'body.raiser.personId': l('反映人编号', "raiser's id"),
  'body.raiser.name': l('反映人姓名', "raiser's name"),
  'body.raiser.phone': l('反映人电话', "raiser's phone"),
  'body.raiser.address': l('反映人住址', "raiser's address"),
  'body.raiser.email': l('反映人电子邮箱', "raiser's email"),
  'body.raiser.location': l('问题位置', 'location'),
  'body.raiser.enterpriseName': l('企业名称', 'enterprise name'),
  'body.raiser.enterpriseId': l('企业编号', 'enterprise id'),
  'body.raiser.contactName': l('企业联系人', 'contact person'),
  'body.raiser.contactPhone': l('联系人电话', "contact person's phone"),
  'body.origin': l('问题出处', 'where it came from'),
  'body.origin.kind': l('出处类型', 'kind of origin'),
  'body.origin.enterpriseId': l('服务企业编号', 'enterprise served'),
  'body.origin.contactId': l('对接记录编号', 'contact record'),
  'body.origin.pairingId': l('结亲编号', 'pairing'),
  'body.origin.visitId': l('走访记录编号', 'visit record'),
  'body.toUnitId': l('转办单位', 'unit to route to'),
  'body.note': l('备注', 'note'),
  'body.plan': l('解题方案', 'plan'),
  'body.promisedBy': l('承诺办结日期', 'promised date'),
  'body.reason': l('理由', 'reason'),
  'body.ground': l('事由', 'ground'),
  'body.duplicateOf': l('重复的问题编号', 'duplicate of problem'),
  'body.summary': l('办理情况', 'summary'),
  'body.evidence': l('佐证材料', 'evidence'),
  'body.kind': l('类型', 'kind'),
  'body.verdict': l('评价结果', 'verdict'),
  'body.comment': l('评价意见', 'comment'),
  'body.raiserUnreachable': l('无法联系反映人', 'raiser cannot be reached'),
  'body.onBehalfOfRaiser': l('回访代为记录', 'recorded by callback for the raiser'),
  'body.consent': l('亮梦意愿', 'consent to be shown'),
  'body.wisher': l('心愿人', 'wisher'),
  'body.wisher.name': l('心愿人姓名', "wisher's name"),
  'body.wisher.personId': l('心愿人编号', "wisher's id"),
  'body.wisher.phone': l('心愿人电话', "wisher's phone"),
  'body.wisher.address': l('心愿人住址', "wisher's address"),
  'body.story': l('亮梦故事', 'story'),
  'body.grounds': l('撤销方式', 'grounds for cancelling'),
  'body.name': l('名称', 'name'),
  'body.parentId': l('上级单位', 'parent unit'),
  'body.personId': l('人员编号', 'person id'),
  'body.phone': l('联系电话', 'phone'),
  'body.idNumber': l('身份证号', 'ID number'),
  'body.role': l('角色', 'role'),
  'body.campaignId': l('活动编号', 'campaign id'),
  'body.districtId': l('所在区', 'district'),
  'body.period': l('活动期限', 'period'),
  'body.period.from': l('开始日期', 'start date'),
  'body.period.to': l('结束日期', 'end date'),
  'body.targets': l('活动目标', 'targets'),
  'body.targets.problemsSolved': l('解题目标', 'problems solved target'),
  'body.targets.wishesFulfilled': l('圆梦目标', 'wishes fulfilled target'),
  'body.quotas': l('配额', 'quotas'),
  'body.quotas.perSecretaryProblems': l('每位书记领题数', 'problems per secretary'),
  'body.quotas.perMemberWishes': l('每位党员领梦数', 'wishes per member'),
  'body.quotas.maxOpenWishClaimsPerMember': l('每位党员在领心愿上限', 'open wish claims per member'),
  'body.enterpriseId': l('企业编号', 'enterprise id'),
  'body.enterpriseName': l('企业名称', 'enterprise name'),
  'body.officerId': l('服务专员', 'service officer'),
  'body.officerRole': l('服务身份', 'role served in'),
  'body.contactId': l('对接记录编号', 'contact record'),
  'body.date': l('日期', 'date'),
  'body.work': l('履职情况', 'work done'),
  'body.needs': l('企业需求', "enterprise's needs"),
  'body.contactPerson': l('企业联系人', 'contact person'),
  'body.contactPerson.name': l('联系人姓名', "contact person's name"),
  'body.contactPerson.phone': l('联系人电话', "contact person's phone"),
  'body.needId': l('需求编号', 'need number'),
  'body.subject': l('信息主体', 'data subject'),
  'body.basis': l('删除依据', 'legal basis'),
  'body.reference': l('案件编号', 'case number'),
  'body.purpose': l('查看用途', 'purpose'),
  'body.statement': l('理由说明', 'statement'),
  'body.pairingId': l('结对编号', 'pairing id'),
  'body.officialId': l('结对干部', 'official'),
  'body.household': l('家庭', 'household'),
  'body.household.name': l('户主姓名', "household's name"),
  'body.household.phone': l('家庭联系电话', "household's phone"),
  'body.household.address': l('家庭住址', "household's address"),
  'body.household.location': l('家庭登记位置', "household's registered location"),
  'body.visitId': l('走访记录编号', 'visit record'),
  'body.visitedAt': l('探亲时间', 'time of the visit'),
  'body.checkIn': l('定位打卡', 'check-in'),
  'body.checkIn.position': l('打卡位置', 'check-in position'),
  'body.checkIn.accuracyMeters': l('定位精度（米）', 'accuracy in metres'),
  'body.diary': l('探亲日记', 'visit diary'),
  'body.excerpt': l('公开摘录', 'public excerpt'),
  'body.itemId': l('问题或心愿编号', 'problem or wish id'),
  'body.topics': l('所问内容', 'topics asked about'),
  'body.household.registeredLocation': l('登记位置', 'registered location'),
  'body.notes': l('走访记录', 'notes of the visit'),
  'path.problemId': l('问题编号', 'problem number'),
  'path.wishId': l('心愿编号', 'wish number'),
  'path.unitId': l('单位编号', 'unit id'),
  'path.personId': l('人员编号', 'person id'),
  'path.campaignId': l('活动编号', 'campaign id'),
  'path.pairingId': l('结对编号', 'pairing id'),
  'path.visitId': l('走访记录编号', 'visit record'),
  'path.enterpriseId': l('企业编号', 'enterprise id'),
  'header.if-match': l('版本', 'version'),
  'header.idempotency-key': l('提交编号', 'submission key'),
  'header.x-acting-role': l('办理身份', 'acting role'),
  'header.x-acting-unit': l('办理单位', 'acting unit'),
  'header.x-occurred-at': l('发生时间', 'time it happened'),
  'header.authorization': l('登录凭证', 'sign-in'),
  'metadata.now': l('办理时间', 'time of the action'),
  'metadata.actor': l('办理人', 'who acts'),
  'metadata.actor.role': l('办理身份', 'acting role'),
  'metadata.actor.unitId': l('办理单位', 'acting unit'),
};

/** Where one field name means something particular in one command (the `reason` of an escalation). */
const byCommand: Readonly<Record<string, Readonly<Record<string, Label>>>> = {
  solicitProblem: {
    'body.description': l('问题描述', 'description of the problem'),
    'body.category': l('问题类别', 'category of the problem'),
  },
  assignProblem: { 'body.note': l('转办说明', 'routing note') },
  escalateProblem: { 'body.reason': l('上报理由', 'reason for passing it up') },
  superviseProblem: {
    'body.ground': l('督办事由', 'ground for supervision'),
    'body.note': l('督办意见', 'supervision note'),
  },
  rejectProblem: {
    'body.ground': l('不予受理类型', 'ground for rejection'),
    'body.reason': l('不予受理理由', 'reason for rejection'),
  },
  noteProblemProgress: { 'body.note': l('进展情况', 'progress note') },
  evaluateProblem: { 'body.kind': l('评价方式', 'kind of rating') },
  collectWish: {
    'body.origin': l('心愿出处', 'where the wish came from'),
    'body.description': l('心愿内容', 'the wish'),
    'body.category': l('心愿类别', 'category of the wish'),
  },
  releaseWish: { 'body.reason': l('放弃理由', 'reason for releasing it') },
  fulfilWish: { 'body.summary': l('圆梦情况', 'what was done') },
  confirmWish: {
    'body.verdict': l('是否满意', 'satisfied or not'),
    'body.comment': l('心愿人意见', "wisher's comment"),
  },
  cancelWish: { 'body.reason': l('撤销理由', 'reason for cancelling') },
  recordVisit: {
    'body.kind': l('走访类型', 'kind of visit'),
    'body.unitId': l('走访网格或社区', 'unit visited'),
    'body.household': l('走访户', 'household visited'),
    'body.date': l('走访日期', 'date of the visit'),
  },
  cancelVisit: { 'body.reason': l('作废理由', 'reason for cancelling') },
  resolveProblemOnSite: {
    'body.summary': l('现场解决情况', 'what was done on site'),
    'body.description': l('问题描述', 'description of the problem'),
  },
  registerUnit: {
    'body.unitId': l('单位编号', 'unit id'),
    'body.name': l('单位名称', 'unit name'),
    'body.kind': l('单位层级', 'level of the unit'),
  },
  renameUnit: { 'body.unitId': l('单位编号', 'unit id'), 'body.name': l('单位名称', 'unit name') },
  retireUnit: { 'body.unitId': l('单位编号', 'unit id'), 'body.reason': l('撤销原因', 'reason for retiring it') },
  registerPerson: { 'body.name': l('姓名', 'name'), 'body.kind': l('人员类别', 'kind of person') },
  grantRole: { 'body.unitId': l('任职单位', 'unit of the role') },
  revokeRole: { 'body.unitId': l('任职单位', 'unit of the role'), 'body.reason': l('收回原因', 'reason for revoking') },
  deactivatePerson: { 'body.reason': l('停用原因', 'reason for deactivating') },
  launchCampaign: { 'body.name': l('活动名称', 'campaign name') },
  adjustCampaignTargets: { 'body.reason': l('调整理由', 'reason for the change') },
  closeCampaign: { 'body.reason': l('结束原因', 'reason for closing') },
  recordPairingVisit: { 'body.visitId': l('探亲编号', 'visit id') },
  pairHousehold: {
    'body.household': l('结亲家庭', 'household paired'),
    'body.unitId': l('家庭所在单位', "household's unit"),
    'body.category': l('帮扶类别', 'kind of household'),
  },
  reassignPairing: { 'body.officialId': l('新的结对干部', 'new official'), 'body.reason': l('换人原因', 'reason') },
  endPairing: { 'body.reason': l('结束原因', 'reason for ending') },
  recordHouseholdConsent: { 'body.consent': l('是否同意展示摘录', 'consent to excerpts being shown') },
  linkPairingNeed: { 'body.kind': l('转成问题还是心愿', 'problem or wish') },
  assignServiceOfficer: { 'body.unitId': l('企业所在单位', "enterprise's unit") },
  replaceServiceOfficer: {
    'body.officerId': l('新的服务专员', 'new service officer'),
    'body.reason': l('更换原因', 'reason for the change'),
  },
  endService: { 'body.reason': l('结束原因', 'reason for ending') },
  recordServiceContact: {
    'body.kind': l('对接方式', 'kind of contact'),
    'body.date': l('对接日期', 'date of the contact'),
  },
  raiseServiceNeedAsProblem: { 'body.problemId': l('转成的问题编号', 'problem it was raised as') },
};

/** `body.evidence.0.uri` → `['body', 'evidence', 'uri']`; `subjects[2]` loses its index the same way. */
const segmentsOf = (path: string): string[] => {
  const segments = path
    .trim()
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '' && !/^\d+$/.test(s));
  return segments[0] === 'header' ? segments.map((s) => s.toLowerCase()) : segments;
};

/**
 * The label of the field a refusal names, in the reader's language, or null when the path is not a field
 * of a form. A nested path without a label of its own gets its nearest labelled parent's (so an evidence
 * item's `uri` reads as 佐证材料). `command` (the operationId, `claimProblem`) picks the word a command
 * uses for a shared name (`body.reason` of `escalateProblem` is 上报理由).
 */
export const fieldLabel = (lang: Lang, path: string, command?: string): string | null => {
  const language: Lang = lang === 'en' ? 'en' : 'zh';
  const overrides = command === undefined ? undefined : byCommand[command];
  const segments = segmentsOf(path);
  for (let length = segments.length; length >= 2; length--) {
    const key = segments.slice(0, length).join('.');
    const label =
      (overrides !== undefined && Object.hasOwn(overrides, key) ? overrides[key] : undefined) ??
      (Object.hasOwn(labels, key) ? labels[key] : undefined);
    if (label !== undefined) return label[language];
  }
  return null;
};
