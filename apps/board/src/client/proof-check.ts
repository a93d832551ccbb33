// The item page's in-browser check of its transparency proofs: fetches the key the board publishes and each
// event's proof bundle, checks each with core's verifyProofBundle (the signature, the leaf's facts, the audit
// path), and that the proof is of the event the page lists; then says 已验证 ✓ or 验证失败 ✗ with the reason.
// Bundled by esbuild and served by the board (http/proof-check-bundle.ts); without JavaScript the page says
// how to check offline. Its words come from the page (data-* attributes), in the reader's language.
import { decodeProofBundle, type NoteVerifier, parseVerifierKey, verifyProofBundle } from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';

type Outcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const fetchText = async (url: string): Promise<string> => {
  const response = await fetch(url, { headers: { Accept: 'application/json, text/plain' } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
};

const checkRow = async (row: HTMLElement, key: NoteVerifier, origin: string, words: DOMStringMap): Promise<Outcome> => {
  let json: unknown;
  try {
    json = JSON.parse(await fetchText(row.dataset.proof ?? ''));
  } catch (error) {
    return { ok: false, reason: `${words.unreachable}: ${(error as Error).message}` };
  }
  const bundle = decodeProofBundle(json);
  if (E.isLeft(bundle)) return { ok: false, reason: bundle.left.message };
  const verified = verifyProofBundle(bundle.right, key, origin);
  if (E.isLeft(verified)) return { ok: false, reason: verified.left.message };
  const leaf = verified.right.leaf;
  // A valid proof of some other event would prove nothing about this one.
  if (
    leaf.streamId !== row.dataset.stream ||
    String(leaf.revision) !== row.dataset.revision ||
    leaf.hash !== row.dataset.hash
  )
    return { ok: false, reason: words.wrongEvent ?? '' };
  return { ok: true };
};

const show = (row: HTMLElement, outcome: Outcome, words: DOMStringMap) => {
  const cell = row.querySelector<HTMLElement>('.check');
  if (cell === null) return;
  cell.dataset.result = outcome.ok ? 'verified' : 'failed';
  cell.className = `check ${outcome.ok ? 'verified' : 'failed'}`;
  cell.replaceChildren(document.createTextNode((outcome.ok ? words.verified : words.failed) ?? ''));
  if (!outcome.ok) {
    const reason = document.createElement('span');
    reason.className = 'reason';
    reason.textContent = outcome.reason;
    cell.append(reason);
  }
};

const run = async (section: HTMLElement) => {
  const words = section.dataset;
  const rows = Array.from(section.querySelectorAll<HTMLElement>('tr[data-proof]'));
  section.querySelector<HTMLElement>('.check-lead')?.removeAttribute('hidden');
  for (const row of rows) {
    const cell = row.querySelector<HTMLElement>('.check');
    if (cell !== null) cell.textContent = words.checking ?? '';
  }
  let key: NoteVerifier;
  try {
    const parsed = parseVerifierKey((await fetchText(words.key ?? '')).trim());
    if (E.isLeft(parsed)) throw new Error(parsed.left.message);
    key = parsed.right;
  } catch (error) {
    for (const row of rows)
      show(row, { ok: false, reason: `${words.unreachable}: ${(error as Error).message}` }, words);
    return;
  }
  await Promise.all(
    rows.map(async (row) => show(row, await checkRow(row, key, words.origin ?? key.name, words), words)),
  );
  section.dataset.checked = 'true';
};

const section = document.querySelector<HTMLElement>('[data-proof-check]');
if (section !== null) void run(section);
