// 活动设置: the campaigns of the office's districts (period, targets, quotas, open or closed), a form to
// launch one, and on each open campaign the forms to adjust its targets and to close it. Each form posts
// one command through the API; its inputs are flat and the refusal's fields are mapped onto them.
import { type CampaignsTable, listCampaigns } from '@banshishi/read-models';
import { shownDate, shownMoment } from '../../../views/context.js';
import { ActionForm, Choice, Field, Notice } from '../../components.js';
import type { WorkbenchContext } from '../../context.js';
import type { WorkbenchKit } from '../../http/kit.js';
import { workbenchBase } from '../../http/session.js';
import { byLang } from '../../i18n/index.js';
import { office } from '../../i18n/office.js';
import { WorkbenchLayout } from '../../layout.js';
import { officeDistrictsOf } from './directory.js';
import { type FieldMap, type Posted, stateOf, typedIn } from './posted.js';

export const campaignPath = `${workbenchBase}/office/campaign`;

/** The flat inputs of the campaign forms, by the path the API's decoder names. */
const campaignFields: FieldMap = {
  paths: {
    'body.period': 'periodFrom',
    'body.period.from': 'periodFrom',
    'body.period.to': 'periodTo',
    'body.targets': 'problemsSolved',
    'body.targets.problemsSolved': 'problemsSolved',
    'body.targets.wishesFulfilled': 'wishesFulfilled',
    'body.quotas.perSecretaryProblems': 'perSecretaryProblems',
    'body.quotas.perMemberWishes': 'perMemberWishes',
    'body.quotas.maxOpenWishClaimsPerMember': 'maxOpenWishClaimsPerMember',
  },
  rules: {
    'campaign.already_launched': ['campaignId'],
    'campaign.name_required': ['name'],
    'campaign.district_not_found': ['districtId'],
    'campaign.outside_office_district': ['districtId'],
    'campaign.invalid_date': ['periodFrom', 'periodTo'],
    'campaign.period_end_not_after_start': ['periodTo'],
    'campaign.target_not_positive': ['problemsSolved', 'wishesFulfilled'],
    'campaign.quota_not_positive': ['perSecretaryProblems', 'perMemberWishes', 'maxOpenWishClaimsPerMember'],
    'campaign.reason_required': ['reason'],
  },
};

export interface CampaignData {
  readonly campaigns: readonly CampaignsTable[];
  readonly districts: readonly (readonly [id: string, name: string])[];
}

export const loadCampaigns = async (kit: WorkbenchKit, ctx: WorkbenchContext): Promise<CampaignData> => {
  const mine = officeDistrictsOf(ctx);
  const campaigns = (await listCampaigns(kit.deps.readModels)).filter((c) => mine.includes(c.district_id));
  const districts = (ctx.principal?.roles ?? [])
    .filter((r) => r.role === 'office')
    .map((r) => [r.unitId, r.unitName ?? r.unitId] as const);
  return { campaigns, districts };
};

const NumberField = ({
  ctx,
  form,
  name,
  label,
  posted,
  required = false,
}: {
  ctx: WorkbenchContext;
  form: string;
  name: string;
  label: string;
  posted: Posted;
  required?: boolean;
}) => (
  <Field
    ctx={ctx}
    form={form}
    name={name}
    label={label}
    type="number"
    min="1"
    required={required}
    value={typedIn(posted, form, name)}
    state={stateOf(posted, form, campaignFields)}
  />
);

const QuotaFields = ({ ctx, form, posted }: { ctx: WorkbenchContext; form: string; posted: Posted }) => {
  const c = byLang(office, ctx.lang).campaign;
  return (
    <>
      <NumberField ctx={ctx} form={form} name="perSecretaryProblems" label={c.perSecretaryProblems} posted={posted} />
      <NumberField ctx={ctx} form={form} name="perMemberWishes" label={c.perMemberWishes} posted={posted} />
      <NumberField
        ctx={ctx}
        form={form}
        name="maxOpenWishClaimsPerMember"
        label={c.maxOpenWishClaimsPerMember}
        posted={posted}
      />
    </>
  );
};

const CampaignRow = ({
  ctx,
  campaign,
  districtName,
  posted,
  formKey,
}: {
  ctx: WorkbenchContext;
  campaign: CampaignsTable;
  districtName: string;
  posted: Posted;
  formKey: () => string;
}) => {
  const c = byLang(office, ctx.lang).campaign;
  const id = campaign.campaign_id;
  const targets = `targets-${id}`;
  const close = `close-${id}`;
  const base = `${campaignPath}/campaigns/${encodeURIComponent(id)}`;
  return (
    <article class="campaign" data-campaign={id} aria-labelledby={`campaign-${id}`}>
      <h3 id={`campaign-${id}`}>{campaign.name}</h3>
      <dl class="state">
        <dt>{c.id}</dt>
        <dd>{id}</dd>
        <dt>{c.district}</dt>
        <dd>{districtName}</dd>
        <dt>{c.period}</dt>
        <dd>{`${shownDate(campaign.period_from)} — ${shownDate(campaign.period_to)}`}</dd>
        <dt>{c.targets}</dt>
        <dd>{c.targetsText(campaign.target_problems_solved, campaign.target_wishes_fulfilled)}</dd>
        <dt>{c.quotas}</dt>
        <dd>{c.quotasText(campaign.quota_secretary_problems, campaign.quota_member_wishes)}</dd>
        <dt>{c.state}</dt>
        <dd>{campaign.closed_at === null ? c.open : c.closed(shownMoment(campaign.closed_at))}</dd>
      </dl>
      {campaign.closed_at === null && (
        <>
          <details open={posted.form === targets}>
            <summary>{c.adjust(campaign.name)}</summary>
            <ActionForm ctx={ctx} action={`${base}/targets`} formKey={formKey()} legend={c.adjust(campaign.name)}>
              <p class="hint">{c.adjustHint}</p>
              <Field
                ctx={ctx}
                form={targets}
                name="reason"
                label={c.reason}
                required
                maxLength={500}
                value={typedIn(posted, targets, 'reason')}
                state={stateOf(posted, targets, campaignFields)}
              />
              <NumberField ctx={ctx} form={targets} name="problemsSolved" label={c.problemsSolved} posted={posted} />
              <NumberField ctx={ctx} form={targets} name="wishesFulfilled" label={c.wishesFulfilled} posted={posted} />
              <QuotaFields ctx={ctx} form={targets} posted={posted} />
            </ActionForm>
          </details>
          <details open={posted.form === close}>
            <summary>{c.close(campaign.name)}</summary>
            <ActionForm ctx={ctx} action={`${base}/close`} formKey={formKey()} legend={c.close(campaign.name)}>
              <Field
                ctx={ctx}
                form={close}
                name="reason"
                label={c.reason}
                maxLength={500}
                value={typedIn(posted, close, 'reason')}
                state={stateOf(posted, close, campaignFields)}
              />
            </ActionForm>
          </details>
        </>
      )}
    </article>
  );
};

export const CampaignPage = ({
  ctx,
  data,
  posted,
  done,
  formKey,
}: {
  ctx: WorkbenchContext;
  data: CampaignData;
  posted: Posted;
  done: boolean;
  formKey: () => string;
}) => {
  const c = byLang(office, ctx.lang).campaign;
  const form = 'campaign-new';
  const state = stateOf(posted, form, campaignFields);
  const districtName = (id: string) => data.districts.find(([d]) => d === id)?.[1] ?? id;
  return (
    <WorkbenchLayout ctx={ctx} title={c.heading} active="campaign">
      <h1>{c.heading}</h1>
      <Notice ctx={ctx} state={posted.state} done={done} />
      <section aria-labelledby="campaigns-heading">
        <h2 id="campaigns-heading">{c.list}</h2>
        {data.campaigns.length === 0 ? (
          <p>{c.none}</p>
        ) : (
          data.campaigns.map((campaign) => (
            <CampaignRow
              ctx={ctx}
              campaign={campaign}
              districtName={districtName(campaign.district_id)}
              posted={posted}
              formKey={formKey}
            />
          ))
        )}
      </section>
      <section aria-labelledby="launch-heading">
        <h2 id="launch-heading">{c.launch}</h2>
        <ActionForm ctx={ctx} action={`${campaignPath}/campaigns`} formKey={formKey()} legend={c.launch}>
          <Field
            ctx={ctx}
            form={form}
            name="campaignId"
            label={c.id}
            required
            maxLength={100}
            value={typedIn(posted, form, 'campaignId')}
            state={state}
          />
          <Field
            ctx={ctx}
            form={form}
            name="name"
            label={c.name}
            required
            maxLength={200}
            value={typedIn(posted, form, 'name')}
            state={state}
          />
          <Choice
            ctx={ctx}
            form={form}
            name="districtId"
            label={c.district}
            options={data.districts}
            value={typedIn(posted, form, 'districtId')}
            state={state}
          />
          <Field
            ctx={ctx}
            form={form}
            name="periodFrom"
            label={c.from}
            type="date"
            required
            value={typedIn(posted, form, 'periodFrom')}
            state={state}
          />
          <Field
            ctx={ctx}
            form={form}
            name="periodTo"
            label={c.to}
            type="date"
            required
            value={typedIn(posted, form, 'periodTo')}
            state={state}
          />
          <NumberField ctx={ctx} form={form} name="problemsSolved" label={c.problemsSolved} posted={posted} required />
          <NumberField
            ctx={ctx}
            form={form}
            name="wishesFulfilled"
            label={c.wishesFulfilled}
            posted={posted}
            required
          />
          <QuotaFields ctx={ctx} form={form} posted={posted} />
        </ActionForm>
      </section>
    </WorkbenchLayout>
  );
};
