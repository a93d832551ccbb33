// The transparency log's page (公开账本): what the log is, its latest signed checkpoint, the public key,
// how to keep a receipt and check it later, and the history of checkpoints, paged from the newest. Every
// piece is also a plain-text or JSON route (routes/transparency.tsx), for whoever keeps them by script.
import { bytesToBase64 } from '@banshishi/core';
import type { StoredCheckpoint } from '@banshishi/transparency';
import { TableRegion } from '../views/components.js';
import { type PageContext, shownMoment } from '../views/context.js';
import { Layout } from '../views/layout.js';

export interface TransparencyData {
  /** The board's absolute address (no trailing slash), for the commands a reader copies. */
  readonly base: string;
  /** The public key text; null when the board does not publish the log. */
  readonly key: string | null;
  readonly origin: string | null;
  readonly latest: StoredCheckpoint | null;
  /** Whether the latest checkpoint verifies with the published key. */
  readonly latestVerifies: boolean;
  /** One page of the history, newest first. */
  readonly history: readonly StoredCheckpoint[];
  /** The size to page back from, when older checkpoints exist. */
  readonly olderBefore: number | null;
  /** Whether this page starts below the newest checkpoint. */
  readonly paged: boolean;
}

const Commands = ({ lines }: { lines: readonly string[] }) => (
  <pre class="command">
    <code>{lines.join('\n')}</code>
  </pre>
);

export const TransparencyPage = ({ ctx, data }: { ctx: PageContext; data: TransparencyData }) => {
  const { m } = ctx;
  const t = m.transparency;
  const { latest } = data;
  return (
    <Layout ctx={ctx} title={t.heading} active="transparency">
      <h1>{t.heading}</h1>
      <p class="lead">{t.lead}</p>
      {data.key === null ? (
        <p class="note">{t.notPublished}</p>
      ) : (
        <>
          <section aria-labelledby="latest">
            <h2 id="latest">{t.latestHeading}</h2>
            {latest === null ? (
              <p class="note">{t.noCheckpoint}</p>
            ) : (
              <>
                {!data.latestVerifies && <p class="error">{t.keyMismatch}</p>}
                <dl class="facts checkpoint">
                  <div>
                    <dt>{t.origin}</dt>
                    <dd>
                      <code>{data.origin}</code>
                    </dd>
                  </div>
                  <div>
                    <dt>{t.size}</dt>
                    <dd>{latest.size}</dd>
                  </div>
                  <div>
                    <dt>{t.root}</dt>
                    <dd>
                      <code class="hash">{bytesToBase64(latest.root)}</code>
                    </dd>
                  </div>
                  <div>
                    <dt>{t.madeAt}</dt>
                    <dd>
                      <time dateTime={latest.madeAt}>{shownMoment(latest.madeAt)}</time>
                    </dd>
                  </div>
                </dl>
                <h3>{t.signedNote}</h3>
                <pre class="signed">{latest.signed}</pre>
              </>
            )}
          </section>
          <section aria-labelledby="key">
            <h2 id="key">{t.keyHeading}</h2>
            <p>{t.keyLead}</p>
            <pre class="signed">{data.key}</pre>
          </section>
          <section aria-labelledby="receipt">
            <h2 id="receipt">{t.receiptHeading}</h2>
            <ol class="steps">
              <li>
                {t.receiptSteps[0]}
                <Commands
                  lines={[
                    `curl -o receipt.checkpoint ${data.base}/transparency/checkpoint`,
                    `curl -o log.key ${data.base}/transparency/key`,
                  ]}
                />
              </li>
              <li>
                {t.receiptSteps[1]}
                <Commands lines={['pnpm run audit verify --receipt receipt.checkpoint --key log.key']} />
              </li>
              <li>
                {t.receiptSteps[2]}
                <Commands
                  lines={[
                    `curl -o proof.json ${data.base}/transparency/proof/STREAM/REVISION`,
                    'pnpm run audit verify-proof proof.json --key log.key',
                  ]}
                />
              </li>
            </ol>
          </section>
          <section aria-labelledby="history">
            <h2 id="history">{t.historyHeading}</h2>
            <TableRegion label={t.historyHeading}>
              <table class="checkpoints">
                <caption>{t.historyCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.size}</th>
                    <th scope="col">{t.madeAt}</th>
                    <th scope="col">{t.root}</th>
                    <th scope="col">{t.signedNote}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.history.map((c) => (
                    <tr>
                      <th scope="row">{c.size}</th>
                      <td>
                        <time dateTime={c.madeAt}>{shownMoment(c.madeAt)}</time>
                      </td>
                      <td>
                        <code class="hash">{bytesToBase64(c.root)}</code>
                      </td>
                      <td>
                        <a href={`/transparency/checkpoints/${c.size}`} aria-label={`${t.noteLink} ${c.size}`}>
                          {t.noteLink}
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
            {(data.olderBefore !== null || data.paged) && (
              <nav class="pager" aria-label={m.paging.label}>
                {data.paged && <a href="/transparency#history">{t.newest}</a>}
                {data.olderBefore !== null && (
                  <a href={`/transparency?before=${data.olderBefore}#history`} rel="next">
                    {t.older}
                  </a>
                )}
              </nav>
            )}
          </section>
          <section aria-labelledby="formats">
            <h2 id="formats">{t.links}</h2>
            <p class="data-links">
              <a href="/transparency/checkpoint">{t.checkpointText}</a>
              <a href="/transparency/key">{t.keyText}</a>
              <a href="/transparency/checkpoints.json">{t.json}</a>
              <a href="/transparency/feed.atom">{t.feed}</a>
            </p>
          </section>
        </>
      )}
    </Layout>
  );
};
