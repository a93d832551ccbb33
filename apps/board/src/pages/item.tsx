// An item's page: its public fields, where it sits now, whether it is overdue, and the redacted timeline
// (who acted in which role and when, and what they did), with links to its Open311 record and its feed,
// and each public event's place in the transparency log with its proof, checked in the browser.
import type { PublicProblem, PublicTimelineEntry, PublicWish } from '@banshishi/read-models';
import type { DirectorySnapshot } from '../http/directory-cache.js';
import type { Messages } from '../i18n/index.js';
import type { ItemProofs } from '../routes/transparency.js';
import { TableRegion } from '../views/components.js';
import { type PageContext, shownDate, shownMoment } from '../views/context.js';
import { Layout } from '../views/layout.js';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The key fields of one timeline entry, in words: the plan and promised day, the unit routed to, a verdict. */
const detailsOf = (e: PublicTimelineEntry, m: Messages, dir: DirectorySnapshot): string[] => {
  const d = e.details as Record<string, unknown>;
  const unit = (id: unknown) => (typeof id === 'string' ? (dir.unitById.get(id)?.name ?? id) : undefined);
  const out: (string | undefined)[] = [];
  switch (e.event_type) {
    case 'ProblemAssigned':
      out.push(`→ ${unit(d.toUnitId)}`, text(d.note));
      break;
    case 'ProblemEscalated':
      out.push(`→ ${unit(d.toUnitId)}`, text(d.reason));
      break;
    case 'ProblemClaimed':
      out.push(
        text(d.plan),
        typeof d.promisedBy === 'string' ? `${m.disclosure.promisedBy} ${shownDate(d.promisedBy)}` : undefined,
      );
      break;
    case 'ProblemSupervised':
      out.push(text(d.note));
      break;
    case 'ProblemRejected':
      out.push(text(d.reason), text(d.duplicateOf));
      break;
    case 'ProblemProgressNoted':
      out.push(text(d.note));
      break;
    case 'ProblemSolved':
    case 'WishFulfilled':
      out.push(
        text(d.summary),
        Array.isArray(d.evidence) && d.evidence.length > 0 ? m.item.evidence(d.evidence.length) : undefined,
      );
      break;
    case 'ProblemEvaluated':
    case 'ProblemClosed':
      out.push(typeof d.verdict === 'string' ? (m.labels.verdict[d.verdict] ?? d.verdict) : undefined);
      break;
    case 'WishReleased':
    case 'WishCancelled':
      out.push(text(d.reason));
      break;
    case 'WishShowcased':
      out.push(text(d.story));
      break;
  }
  return out.filter((s): s is string => s !== undefined);
};

/** The redacted timeline, as the board shows it (the workbench's item pages show the same). */
export const Timeline = ({
  ctx,
  dir,
  entries,
}: {
  ctx: Pick<PageContext, 'm'>;
  dir: DirectorySnapshot;
  entries: readonly PublicTimelineEntry[];
}) => {
  const { m } = ctx;
  if (entries.length === 0) return <p>{m.item.noTimeline}</p>;
  return (
    <TableRegion label={m.item.timeline}>
      <table class="timeline">
        <thead>
          <tr>
            <th scope="col">{m.item.when}</th>
            <th scope="col">{m.item.what}</th>
            <th scope="col">{m.item.who}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr>
              <td>
                <time dateTime={e.occurred_at}>{shownMoment(e.occurred_at)}</time>
              </td>
              <th scope="row">
                {m.labels.event[e.event_type] ?? e.event_type}
                {detailsOf(e, m, dir).map((line) => (
                  <span class="detail">{line}</span>
                ))}
              </th>
              <td>
                {m.labels.role[e.actor_role] ?? e.actor_role}
                {e.actor_name !== null && ` ${e.actor_name}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
};

/** How a proof downloaded from the section is checked without the board (apps/audit). */
const offlineCheck = 'pnpm run audit verify-proof proof.json --key log.key';

/** A hash shortened for the table; the whole of it is in the proof and in the cell's title. */
const shortHash = (hash: string) => (hash.length > 12 ? `${hash.slice(0, 10)}…` : hash);

/**
 * The item's events in the transparency log: each one's place and hash, a link to its inclusion proof, and
 * a cell the proof check (client/proof-check.ts) fills in. Without JavaScript the section says how to
 * check a proof offline. Only what the public timeline shows and the log's facts: no payload.
 */
export const ProofSection = ({ ctx, proofs }: { ctx: Pick<PageContext, 'm'>; proofs: ItemProofs }) => {
  const t = ctx.m.transparency.item;
  const m = ctx.m;
  return (
    <section
      aria-labelledby="proofs"
      class="proofs"
      data-proof-check=""
      data-key="/transparency/key"
      data-origin={proofs.origin}
      data-checking={t.checking}
      data-verified={t.verified}
      data-failed={t.failed}
      data-wrong-event={t.wrongEvent}
      data-unreachable={t.unreachable}
    >
      <h2 id="proofs">{t.heading}</h2>
      <p>{t.lead}</p>
      <TableRegion label={t.heading}>
        <table class="proof-table">
          <thead>
            <tr>
              <th scope="col">{t.event}</th>
              <th scope="col">{t.leaf}</th>
              <th scope="col">{t.proof}</th>
            </tr>
          </thead>
          <tbody>
            {proofs.rows.map(({ entry, leaf, signed }) => {
              const href = `/transparency/proof/${encodeURIComponent(entry.stream_id)}/${entry.revision}`;
              const name = m.labels.event[entry.event_type] ?? entry.event_type;
              const event = (
                <th scope="row">
                  <span class="revision">{entry.revision}</span> {name}
                </th>
              );
              return signed && leaf !== null ? (
                <tr
                  data-proof={href}
                  data-stream={leaf.streamId}
                  data-revision={String(leaf.revision)}
                  data-hash={leaf.eventHash}
                >
                  {event}
                  <td>
                    {leaf.index}
                    <span class="detail">
                      <code class="hash" title={leaf.eventHash}>
                        {shortHash(leaf.eventHash)}
                      </code>
                    </span>
                  </td>
                  <td>
                    <a
                      href={href}
                      download={`proof-${entry.stream_id}-${entry.revision}.json`}
                      aria-label={`${t.proofLink}: ${entry.revision} ${name}`}
                    >
                      {t.proofLink}
                    </a>
                    <span class="check" />
                  </td>
                </tr>
              ) : (
                <tr>
                  {event}
                  <td colSpan={2}>{t.pending}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableRegion>
      <p class="check-lead" hidden>
        {t.checkLead}
      </p>
      <p>
        {t.offline} <code>{offlineCheck}</code>
        {' · '}
        <a href="/transparency/key">{m.transparency.keyText}</a>
        {' · '}
        <a href="/transparency#receipt">{m.transparency.receiptHeading}</a>
      </p>
    </section>
  );
};

const Fact = ({ name, children }: { name: string; children: preact.ComponentChildren }) => (
  <div>
    <dt>{name}</dt>
    <dd>{children}</dd>
  </div>
);

/** What every item page has: where it stands (its status and facts), the timeline, and its data links. */
const ItemFrame = ({
  ctx,
  dir,
  heading,
  title,
  status,
  timeline,
  proofs,
  links,
  children,
}: {
  ctx: PageContext;
  dir: DirectorySnapshot;
  heading: string;
  title: string;
  status: preact.ComponentChildren;
  timeline: readonly PublicTimelineEntry[];
  proofs: ItemProofs | null;
  links: preact.ComponentChildren;
  children: preact.ComponentChildren;
}) => (
  <Layout ctx={ctx} title={heading} active="disclosure" proofCheck={proofs?.rows.some((r) => r.signed) ?? false}>
    <p class="kicker">{heading}</p>
    <h1>{title}</h1>
    <section aria-labelledby="now">
      <h2 id="now">{ctx.m.item.now}</h2>
      {status}
      <dl class="facts">{children}</dl>
    </section>
    <section aria-labelledby="timeline">
      <h2 id="timeline">{ctx.m.item.timeline}</h2>
      <Timeline ctx={ctx} dir={dir} entries={timeline} />
    </section>
    {proofs !== null && proofs.rows.length > 0 && <ProofSection ctx={ctx} proofs={proofs} />}
    <p class="data-links">{links}</p>
  </Layout>
);

export const ProblemPage = ({
  ctx,
  dir,
  problem: p,
  timeline,
  proofs,
}: {
  ctx: PageContext;
  dir: DirectorySnapshot;
  problem: PublicProblem;
  timeline: readonly PublicTimelineEntry[];
  proofs: ItemProofs | null;
}) => {
  const { m } = ctx;
  const l = m.labels;
  return (
    <ItemFrame
      ctx={ctx}
      dir={dir}
      heading={m.item.problemHeading(p.problem_id)}
      title={p.title}
      status={
        <p class={`status status-${p.status}`}>
          {l.problemStatus[p.status] ?? p.status}
          {p.overdue ? <strong class="overdue"> · {m.disclosure.overdue}</strong> : ` · ${m.disclosure.notOverdue}`}
        </p>
      }
      timeline={timeline}
      proofs={proofs}
      links={
        <>
          <a href={`/open311/v2/requests/${encodeURIComponent(p.problem_id)}.json`}>{m.item.open311}</a>
          <a href={`/feeds/closed.atom?unit=${encodeURIComponent(p.unit_id)}`}>{m.item.feed}</a>
        </>
      }
    >
      <Fact name={m.disclosure.where}>
        <a href={`/units/${encodeURIComponent(p.unit_id)}`}>{p.unit_name ?? p.unit_id}</a>
      </Fact>
      <Fact name={m.item.origin}>{dir.unitById.get(p.origin_unit_id)?.name ?? p.origin_unit_id}</Fact>
      <Fact name={m.disclosure.grade}>{l.grade[p.grade] ?? p.grade}</Fact>
      <Fact name={m.disclosure.category}>{p.category ?? l.none}</Fact>
      <Fact name={m.disclosure.source}>{l.source[p.source] ?? p.source}</Fact>
      <Fact name={m.item.raisedBy}>
        {p.enterprise_name ?? (p.raiser_kind === null ? l.none : (l.role[p.raiser_kind] ?? p.raiser_kind))}
      </Fact>
      <Fact name={m.disclosure.raisedAt}>{shownMoment(p.solicited_at)}</Fact>
      <Fact name={m.disclosure.claimant}>
        {p.claimant_name ?? l.none}
        {p.claimant_unit_name !== null && ` (${p.claimant_unit_name})`}
      </Fact>
      <Fact name={m.item.plan}>{p.plan ?? l.none}</Fact>
      <Fact name={m.disclosure.promisedBy}>{shownDate(p.promised_by)}</Fact>
      <Fact name={m.item.solution}>{p.solution_summary ?? l.none}</Fact>
      <Fact name={m.item.verdict}>
        {p.last_verdict === null ? l.none : (l.verdict[p.last_verdict] ?? p.last_verdict)}
      </Fact>
      {p.rejection_reason !== null && <Fact name={m.item.rejected}>{p.rejection_reason}</Fact>}
    </ItemFrame>
  );
};

export const WishPage = ({
  ctx,
  dir,
  wish: w,
  timeline,
  proofs,
}: {
  ctx: PageContext;
  dir: DirectorySnapshot;
  wish: PublicWish;
  timeline: readonly PublicTimelineEntry[];
  proofs: ItemProofs | null;
}) => {
  const { m } = ctx;
  const l = m.labels;
  return (
    <ItemFrame
      ctx={ctx}
      dir={dir}
      heading={m.item.wishHeading(w.wish_id)}
      title={w.description ?? l.wishCategory[w.category] ?? w.category}
      status={<p class={`status status-${w.status}`}>{l.wishStatus[w.status] ?? w.status}</p>}
      timeline={timeline}
      proofs={proofs}
      links={<a href={`/feeds/showcased.atom?unit=${encodeURIComponent(w.unit_id)}`}>{m.item.feed}</a>}
    >
      <Fact name={m.disclosure.where}>
        <a href={`/units/${encodeURIComponent(w.unit_id)}`}>{w.unit_name ?? w.unit_id}</a>
      </Fact>
      <Fact name={m.disclosure.category}>{l.wishCategory[w.category] ?? w.category}</Fact>
      <Fact name={m.disclosure.collectedAt}>{shownMoment(w.collected_at)}</Fact>
      <Fact name={m.disclosure.member}>{w.claimant_name ?? l.none}</Fact>
      <Fact name={m.item.solution}>{w.fulfilment_summary ?? l.none}</Fact>
    </ItemFrame>
  );
};
