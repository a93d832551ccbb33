// What is kept of an uploaded file: its pixels or its pages, nothing its camera or its editor wrote about
// it. A photo's EXIF may hold where it was taken (GPS) and on what; a document's info and XMP who wrote
// it and with what. Both are rebuilt from their content, so no metadata block survives by being missed.
import * as E from 'fp-ts/lib/Either.js';
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFObject, PDFRef, PDFStream } from 'pdf-lib';
import sharp from 'sharp';
import { mediaTypes } from './media.js';
import { type EvidenceRefusal, evidenceRefusal, evidenceRules } from './refusals.js';

const sharpFormat = {
  [mediaTypes.jpeg]: 'jpeg',
  [mediaTypes.png]: 'png',
  [mediaTypes.webp]: 'webp',
} as const;

export type PhotoMediaType = keyof typeof sharpFormat;

/** Long enough for a 40-megapixel photo on a slow core, short enough that a crafted file cannot hold one. */
const photoTimeoutSeconds = 30;

const unreadablePhoto = evidenceRefusal(evidenceRules.unreadable, 'the photo cannot be read (corrupt or truncated)');

const tooManyPixels = (pixels: number | null, maxPixels: number) =>
  evidenceRefusal(
    evidenceRules.tooManyPixels,
    pixels === null
      ? `the photo has more than ${maxPixels} pixels`
      : `the photo has ${pixels} pixels, more than the ${maxPixels} allowed`,
  );

/** sharp says so in its message only; the size check before it makes this the rarer path. */
const isPixelLimitError = (e: unknown) => e instanceof Error && /pixel limit/i.test(e.message);

/**
 * The photo re-encoded in its own format, turned upright by its EXIF orientation, with no metadata at all
 * (sharp keeps none unless asked; colours are converted to sRGB). The header's dimensions are checked
 * first, and sharp's own pixel limit stands behind that check, so a decompression bomb is never decoded.
 * failOn 'error' refuses a truncated or broken file and tolerates the harmless warnings phones cause.
 */
export const stripPhoto = async (
  bytes: Buffer,
  mediaType: PhotoMediaType,
  maxPixels: number,
): Promise<E.Either<EvidenceRefusal, Buffer>> => {
  const format = sharpFormat[mediaType];
  let width: number;
  let height: number;
  try {
    const header = await sharp(bytes, { limitInputPixels: false, failOn: 'error' }).metadata();
    if (header.format !== format || !header.width || !header.height) return E.left(unreadablePhoto);
    width = header.width;
    height = header.height;
  } catch {
    return E.left(unreadablePhoto);
  }
  if (width * height > maxPixels) return E.left(tooManyPixels(width * height, maxPixels));
  try {
    const upright = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
      .rotate()
      .timeout({ seconds: photoTimeoutSeconds });
    const encoded =
      format === 'jpeg'
        ? upright.jpeg({ quality: 85 })
        : format === 'png'
          ? upright.png()
          : upright.webp({ quality: 85 });
    return E.right(await encoded.toBuffer());
  } catch (e) {
    return E.left(isPixelLimitError(e) ? tooManyPixels(null, maxPixels) : unreadablePhoto);
  }
};

/** Entries that describe a document or a part of it rather than being it: XMP streams and editors' data. */
const metadataKeys = [PDFName.of('Metadata'), PDFName.of('PieceInfo')];

/**
 * Entries that make a document do something when opened or clicked rather than show something: scripts
 * run on opening (OpenAction, additional actions AA, the JavaScript name tree), attached files, forms
 * (AcroForm, XFA) and embedded media. Evidence is a page to look at: none of it is kept.
 */
const activeKeys = ['OpenAction', 'AA', 'JavaScript', 'JS', 'EmbeddedFiles', 'AcroForm', 'XFA', 'RichMediaContent'].map(
  (k) => PDFName.of(k),
);
const actionKey = PDFName.of('A');
const actionType = PDFName.of('S');

/**
 * Drops the metadata and active entries of every object reachable from the catalog, then every object no
 * longer reachable: the old info dictionary, the XMP streams, and whatever earlier revisions left behind, which
 * pdf-lib would otherwise write out again although nothing refers to them.
 */
const keepOnlyReachable = (doc: PDFDocument) => {
  const { context } = doc;
  const reached = new Set<PDFRef>();
  const pending: PDFObject[] = [context.trailerInfo.Root as PDFObject];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next instanceof PDFRef) {
      if (reached.has(next)) continue;
      reached.add(next);
      const target = context.lookup(next);
      if (target) pending.push(target);
    } else if (next instanceof PDFDict || next instanceof PDFStream) {
      const dict = next instanceof PDFStream ? next.dict : next;
      for (const key of [...metadataKeys, ...activeKeys]) dict.delete(key);
      // An annotation's or outline item's action (a dictionary with its type S); a structure element's
      // attributes (also under A) have none and are kept.
      const action = dict.get(actionKey);
      const resolved = action instanceof PDFRef ? context.lookup(action) : action;
      if (resolved instanceof PDFDict && resolved.has(actionType)) dict.delete(actionKey);
      for (const [, value] of dict.entries()) pending.push(value);
    } else if (next instanceof PDFArray) {
      pending.push(...next.asArray());
    }
  }
  for (const [ref] of context.enumerateIndirectObjects()) {
    if (!reached.has(ref)) context.delete(ref);
  }
};

const unreadableDocument = evidenceRefusal(
  evidenceRules.unreadable,
  'the document cannot be read (not a valid PDF, or it has no pages)',
);

/** pdf-lib's errors are ES5 classes, so `instanceof EncryptedPDFError` never holds; its message does. */
const isEncryptedError = (e: unknown) => e instanceof Error && /is encrypted/.test(e.message);

/**
 * The PDF written again by pdf-lib without its info dictionary (title, author, subject, keywords, creator,
 * producer, dates), without any XMP, and without scripts, actions, attachments or forms. pdf-lib is told not to stamp its own producer and dates, and to
 * write plain objects rather than compressed object streams, so what is kept can be read and checked. An
 * encrypted PDF is refused: it could not be rewritten, and it could not be checked.
 */
export const stripDocument = async (bytes: Buffer): Promise<E.Either<EvidenceRefusal, Buffer>> => {
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    if (doc.getPageCount() === 0) return E.left(unreadableDocument);
    doc.context.trailerInfo.Info = undefined;
    keepOnlyReachable(doc);
    const saved = await doc.save({ addDefaultPage: false, updateFieldAppearances: false, useObjectStreams: false });
    return E.right(Buffer.from(saved));
  } catch (e) {
    return E.left(
      isEncryptedError(e)
        ? evidenceRefusal(evidenceRules.unreadable, 'the document is encrypted; upload it without a password')
        : unreadableDocument,
    );
  }
};
