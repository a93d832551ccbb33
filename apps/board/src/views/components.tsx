// Pieces the pages share: a scrollable, labelled table region; a pager; a chart figure whose canvas the
// script fills in (without JavaScript the caption, text alternative and table carry everything).
import type { ComponentChildren } from 'preact';
import type { Messages } from '../i18n/index.js';

export const TableRegion = ({ label, children }: { label: string; children: ComponentChildren }) => (
  // A labelled section is a region; tabindex makes it scrollable by keyboard (axe: scrollable-region-focusable).
  <section class="table-wrap" aria-label={label} tabindex={0}>
    {children}
  </section>
);

export const Pager = ({
  m,
  page,
  pageSize,
  total,
  hrefOf,
}: {
  m: Messages;
  page: number;
  pageSize: number;
  total: number;
  hrefOf: (page: number) => string;
}) => {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label={m.paging.label}>
      {page > 1 ? (
        <a href={hrefOf(page - 1)} rel="prev">
          {m.paging.previous}
        </a>
      ) : (
        <span aria-hidden="true">{m.paging.previous}</span>
      )}
      <span>{m.paging.page(Math.min(page, pages), pages)}</span>
      {page < pages ? (
        <a href={hrefOf(page + 1)} rel="next">
          {m.paging.next}
        </a>
      ) : (
        <span aria-hidden="true">{m.paging.next}</span>
      )}
    </nav>
  );
};

/** A chart drawn by /static/charts.js from `dataUrl` (the JSON the table below is made of). */
export const ChartFigure = ({
  id,
  caption,
  alt,
  dataUrl,
  children,
}: {
  id: string;
  caption: string;
  alt: string;
  dataUrl: string;
  children: ComponentChildren;
}) => (
  <figure class="chart" aria-labelledby={`${id}-caption`}>
    <figcaption id={`${id}-caption`}>{caption}</figcaption>
    <div class="chart-canvas" data-chart={dataUrl} role="img" aria-label={alt} />
    <p class="chart-alt">{alt}</p>
    {children}
  </figure>
);

export const DataLinks = ({ m, csv, json, feed }: { m: Messages; csv: string; json: string; feed?: string }) => (
  <p class="data-links">
    <a href={csv} download>
      {m.disclosure.downloadCsv}
    </a>
    <a href={json}>{m.disclosure.downloadJson}</a>
    {feed !== undefined && <a href={feed}>{m.disclosure.feed}</a>}
  </p>
);
