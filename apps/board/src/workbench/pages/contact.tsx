// 查看联系方式: the personal fields of an item (the raiser's or wisher's name, phone and address, their
// own words) shown to its claimant or the district's office on purpose. The workbench never keeps them:
// the API records the read (who, when, why) as an event before opening a value, and the values are drawn
// on this one answer (no-store), never on the page a link or a reload would show.
import type { ComponentChildren } from 'preact';
import { ActionForm, Field, type FormState } from '../components.js';
import type { WorkbenchContext } from '../context.js';
import type { LoadedItem } from '../items.js';

const texts = {
  zh: {
    heading: '联系方式与原话',
    intro: '提出人的姓名、电话、地址和原话只给认领人和领导小组办公室看。每次查看都记录在案（谁、何时、为何）。',
    legend: '查看联系方式',
    statement: '查看事由',
    statementHint: '例如：电话联系居民，约定上门查看时间。',
    submit: '查看（记录在案）',
    shownHeading: '已查看的内容（本次查看已记录）',
    event: '出自',
    field: '项目',
    value: '内容',
    none: '此事项没有个人信息。',
    fields: {
      name: '姓名',
      phone: '电话',
      address: '地址',
      description: '原话（详细情况）',
      comment: '评价留言',
      idNumber: '身份证号',
      location: '位置',
    } as Record<string, string>,
  },
  en: {
    heading: 'Contact details and own words',
    intro:
      "The raiser's name, phone, address and own words are for the claimant and the office only. Every read is recorded (who, when, why).",
    legend: 'Read the contact details',
    statement: 'Reason for reading',
    statementHint: 'For example: calling the resident to arrange a visit.',
    submit: 'Read (recorded)',
    shownHeading: 'What was read (this read is recorded)',
    event: 'From',
    field: 'Field',
    value: 'Value',
    none: 'This item holds no personal data.',
    fields: {
      name: 'Name',
      phone: 'Phone',
      address: 'Address',
      description: 'Own words (details)',
      comment: 'Comment with the rating',
      idNumber: 'ID number',
      location: 'Location',
    } as Record<string, string>,
  },
};

/** `ProblemSolicited@0.raiser.phone` → the event, its revision and the field's last name. */
const partsOf = (key: string) => {
  const match = /^([A-Za-z]+)@(\d+)\.(.+)$/.exec(key);
  if (match === null) return { event: key, revision: '', field: key };
  const path = match[3]!.split('.');
  return { event: match[1]!, revision: match[2]!, field: path.at(-1)! };
};

const shown = (value: unknown): string =>
  typeof value === 'string' ? value : value === null || value === undefined ? '—' : JSON.stringify(value);

/** What a contact read came to, for the page drawn after it. */
export interface ContactOutcome {
  readonly state: FormState;
  readonly revealed: Readonly<Record<string, unknown>> | null;
  readonly statement?: string;
}

/** Whether the acting person may be offered the read: the district's office, or the item's claimant. */
export const mayReadContact = (ctx: WorkbenchContext, item: LoadedItem): boolean => {
  const acting = ctx.principal?.acting;
  if (acting === null || acting === undefined) return false;
  if (acting.role === 'office') return item.status !== 'none';
  const state = item.state as { claimantId?: unknown; claim?: { claimantId?: unknown } | null };
  const claimant = state.claim?.claimantId ?? state.claimantId ?? null;
  return claimant === ctx.principal?.personId && ['claimed', 'solved', 'fulfilled'].includes(item.status);
};

export const ContactPanel = ({
  ctx,
  action,
  formKey,
  state,
  revealed,
  statement,
}: {
  ctx: WorkbenchContext;
  action: string;
  formKey: string;
  state: FormState;
  revealed: Readonly<Record<string, unknown>> | null;
  statement?: string;
}): ComponentChildren => {
  const t = texts[ctx.lang];
  const entries = revealed === null ? [] : Object.entries(revealed);
  return (
    <section aria-labelledby="contact-heading" class="contact">
      <h2 id="contact-heading">{t.heading}</h2>
      <p class="hint">{t.intro}</p>
      {revealed !== null &&
        (entries.length === 0 ? (
          <p>{t.none}</p>
        ) : (
          <section class="table-wrap" aria-labelledby="contact-shown" tabindex={0}>
            <table data-testid="contact">
              <caption id="contact-shown">{t.shownHeading}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.field}</th>
                  <th scope="col">{t.value}</th>
                  <th scope="col">{t.event}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map(([key, value]) => {
                  const p = partsOf(key);
                  return (
                    <tr>
                      <th scope="row">{t.fields[p.field] ?? p.field}</th>
                      <td>{shown(value)}</td>
                      <td>{`${ctx.labels.event[p.event] ?? p.event} · ${ctx.m.item.revision} ${p.revision}`}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        ))}
      <ActionForm ctx={ctx} action={action} formKey={formKey} legend={t.legend} submit={t.submit} id="contact">
        <input type="hidden" name="purpose" value="contact_resident" />
        <Field
          ctx={ctx}
          form="contact"
          name="statement"
          label={t.statement}
          state={state}
          required
          multiline
          maxLength={500}
          hint={t.statementHint}
          value={statement}
        />
      </ActionForm>
    </section>
  );
};
