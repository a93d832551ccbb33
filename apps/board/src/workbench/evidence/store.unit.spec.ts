import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import exifr from 'exifr';
import * as E from 'fp-ts/lib/Either.js';
import { PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEvidenceStore,
  type EvidenceRefusal,
  type EvidenceStore,
  evidenceRules,
  type StoredEvidence,
} from './store.js';

let dir: string;
let store: EvidenceStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evidence-'));
  store = createEvidenceStore({ dir });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every file under the store's folder, relative to it. */
const filesIn = async (folder: string) =>
  (await readdir(folder, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));

const stored = (result: E.Either<EvidenceRefusal, StoredEvidence>): StoredEvidence => {
  if (E.isLeft(result)) throw new Error(`refused: ${result.left.rule} ${result.left.message}`);
  return result.right;
};

const refused = (result: E.Either<EvidenceRefusal, unknown>): EvidenceRefusal => {
  if (E.isRight(result)) throw new Error('stored, expected a refusal');
  return result.left;
};

const canvas = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 180, g: 60, b: 30 } } });

const gpsExif = {
  IFD0: { Make: 'Banshishi Phone Co', Model: 'Street Camera 3' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '36/1 17/1 4200/100',
    GPSLongitudeRef: 'E',
    GPSLongitude: '120/1 0/1 3600/100',
  },
};

const photoWithGps = () => canvas(320, 240).withExif(gpsExif).jpeg({ quality: 90 }).toBuffer();

const exifSegment = Buffer.from('Exif\0\0', 'latin1');

describe('photos', () => {
  it('a JPEG is stored without its GPS position or any other EXIF, at the same size', async () => {
    const input = await photoWithGps();
    const inputGps = await exifr.gps(input);
    expect(inputGps?.latitude).toBeCloseTo(36 + 17 / 60 + 42 / 3600, 4);
    expect((await exifr.parse(input))?.Make).toBe('Banshishi Phone Co');
    expect(input.includes(exifSegment)).toBe(true);

    const evidence = stored(await store.put({ bytes: input, declaredType: 'image/jpeg', fileName: 'IMG_0001.jpg' }));
    const kept = (await store.open(evidence.sha256))!.bytes;

    expect(evidence).toMatchObject({ kind: 'photo', mediaType: 'image/jpeg', size: kept.length });
    expect(await exifr.gps(kept)).toBeUndefined();
    expect(await exifr.parse(kept, true)).toBeUndefined();
    expect(kept.includes(exifSegment)).toBe(false);
    expect(kept.includes(Buffer.from('Banshishi Phone Co'))).toBe(false);
    expect(await sharp(kept).metadata()).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
  });

  it('a JPEG is stored without its XMP or its colour profile, its colours converted to sRGB', async () => {
    const xmp =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Li Ming</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>';
    const input = await canvas(64, 64).withIccProfile('p3').withXmp(xmp).jpeg().toBuffer();
    const inputMetadata = await sharp(input).metadata();
    expect(inputMetadata.xmp).toBeDefined();
    expect(inputMetadata.icc).toBeDefined();

    const kept = (await store.open(stored(await store.put({ bytes: input })).sha256))!.bytes;
    const keptMetadata = await sharp(kept).metadata();

    expect(keptMetadata.xmp).toBeUndefined();
    expect(keptMetadata.icc).toBeUndefined();
    expect(keptMetadata.iptc).toBeUndefined();
    expect(kept.includes(Buffer.from('Li Ming'))).toBe(false);
  });

  it('a photo taken on its side (EXIF orientation 6) is stored upright, without the orientation tag', async () => {
    const input = await canvas(300, 200).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect(await exifr.orientation(input)).toBe(6);

    const kept = (await store.open(stored(await store.put({ bytes: input })).sha256))!.bytes;

    expect(await sharp(kept).metadata()).toMatchObject({ width: 200, height: 300 });
    expect((await sharp(kept).metadata()).orientation).toBeUndefined();
    expect(await exifr.orientation(kept)).toBeUndefined();
  });

  it('a PNG is stored without its text chunks', async () => {
    const png = await canvas(64, 48).png().toBuffer();
    const text = Buffer.from('Comment\0taken at No. 12 Heping Road', 'latin1');
    const chunk = Buffer.alloc(12 + text.length);
    chunk.writeUInt32BE(text.length, 0);
    chunk.write('tEXt', 4, 'latin1');
    text.copy(chunk, 8);
    chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + text.length)), 8 + text.length);
    const afterHeader = 8 + 25; // signature, then the IHDR chunk
    const input = Buffer.concat([png.subarray(0, afterHeader), chunk, png.subarray(afterHeader)]);
    expect((await sharp(input).metadata()).comments).toEqual([
      { keyword: 'Comment', text: 'taken at No. 12 Heping Road' },
    ]);

    const evidence = stored(await store.put({ bytes: input, declaredType: 'image/png' }));
    const kept = (await store.open(evidence.sha256))!.bytes;

    expect(evidence.mediaType).toBe('image/png');
    expect(kept.includes(Buffer.from('tEXt'))).toBe(false);
    expect(kept.includes(Buffer.from('Heping Road'))).toBe(false);
    expect(await sharp(kept).metadata()).toMatchObject({ format: 'png', width: 64, height: 48 });
  });

  it('a WebP is stored as a WebP, without its EXIF', async () => {
    const input = await canvas(120, 80).withExif(gpsExif).webp().toBuffer();
    const inputExif = (await sharp(input).metadata()).exif;
    // sharp hands the EXIF block over with its "Exif\0\0" preamble; exifr reads the TIFF structure after it.
    expect(inputExif && (await exifr.gps(inputExif.subarray(6)))?.latitude).toBeGreaterThan(36);
    expect(input.includes(Buffer.from('Banshishi Phone Co'))).toBe(true);

    const evidence = stored(await store.put({ bytes: input, declaredType: 'image/webp' }));
    const kept = (await store.open(evidence.sha256))!;

    expect(kept.mediaType).toBe('image/webp');
    expect((await sharp(kept.bytes).metadata()).exif).toBeUndefined();
    expect(kept.bytes.includes(Buffer.from('EXIF'))).toBe(false);
    expect(kept.bytes.includes(Buffer.from('Banshishi Phone Co'))).toBe(false);
    expect(await sharp(kept.bytes).metadata()).toMatchObject({ format: 'webp', width: 120, height: 80 });
  });
});

const author = 'Wang Fang of Building 7';

/** How a text may sit in a PDF's bytes: as it is, or as pdf-lib writes info strings (UTF-16 in hex). */
const spellingsOf = (text: string) => [
  Buffer.from(text),
  Buffer.from(PDFHexString.fromText(text).toString().slice(1, -1)),
];

const xmpMarker = 'xmp-only-marker-3141';

const pdfWithMetadata = async () => {
  const doc = await PDFDocument.create();
  doc.addPage([200, 100]).drawText('Receipt', { x: 20, y: 50 });
  doc.setTitle('Repair of the stairwell light');
  doc.setAuthor(author);
  doc.setSubject('Problem 42');
  doc.setKeywords(['stairwell']);
  doc.setCreator('Scanner App 9');
  doc.setProducer('Scanner PDF Engine 2');
  const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>${xmpMarker}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>`;
  const stream = doc.context.stream(xmp, { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));
  return Buffer.from(await doc.save({ useObjectStreams: false }));
};

describe('documents', () => {
  it('a PDF is stored without its info dictionary or its XMP stream, its pages intact', async () => {
    const input = await pdfWithMetadata();
    expect(spellingsOf(author).some((spelling) => input.includes(spelling))).toBe(true);
    expect(input.includes(Buffer.from(xmpMarker))).toBe(true);
    expect((await PDFDocument.load(input, { updateMetadata: false })).getCreator()).toBe('Scanner App 9');

    const evidence = stored(
      await store.put({ bytes: input, declaredType: 'application/pdf', fileName: 'receipt.pdf' }),
    );
    const kept = (await store.open(evidence.sha256))!;
    const reloaded = await PDFDocument.load(kept.bytes, { updateMetadata: false });

    expect(evidence).toMatchObject({ kind: 'document', mediaType: 'application/pdf' });
    expect(kept.mediaType).toBe('application/pdf');
    expect(reloaded.getPageCount()).toBe(1);
    expect(reloaded.context.trailerInfo.Info).toBeUndefined();
    expect([
      reloaded.getTitle(),
      reloaded.getAuthor(),
      reloaded.getSubject(),
      reloaded.getKeywords(),
      reloaded.getCreator(),
      reloaded.getProducer(),
      reloaded.getCreationDate(),
      reloaded.getModificationDate(),
    ]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(reloaded.catalog.get(PDFName.of('Metadata'))).toBeUndefined();
    for (const text of [author, xmpMarker, 'Scanner App 9', 'Scanner PDF Engine 2', 'stairwell light', 'pdf-lib']) {
      for (const spelling of spellingsOf(text)) expect(kept.bytes.includes(spelling), text).toBe(false);
    }
  });

  it('a PDF is stored without the scripts, actions, attachments and forms it came with, its page intact', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([200, 100]);
    page.drawText('Receipt', { x: 20, y: 50 });
    const { context } = doc;
    const script = (js: string) => context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of(js) });
    doc.catalog.set(PDFName.of('OpenAction'), context.register(script('app.alert("open-marker")')));
    doc.catalog.set(
      PDFName.of('Names'),
      context.obj({
        JavaScript: context.obj({ Names: [PDFString.of('x'), context.register(script('name-marker()'))] }),
      }),
    );
    doc.catalog.set(PDFName.of('AcroForm'), context.obj({ Fields: [], XFA: PDFString.of('xfa-marker') }));
    page.node.set(PDFName.of('AA'), context.obj({ O: context.register(script('page-open-marker()')) }));
    const link = context.obj({
      Type: 'Annot',
      Subtype: 'Link',
      Rect: [0, 0, 10, 10],
      A: context.obj({ S: 'Launch', F: PDFString.of('launch-marker.exe') }),
    });
    page.node.set(PDFName.of('Annots'), context.obj([context.register(link)]));
    const input = Buffer.from(await doc.save({ useObjectStreams: false }));
    for (const marker of ['open-marker', 'name-marker', 'page-open-marker', 'launch-marker', 'xfa-marker'])
      expect(input.includes(Buffer.from(marker)), marker).toBe(true);

    const kept = (await store.open(stored(await store.put({ bytes: input })).sha256))!;

    for (const marker of [
      'open-marker',
      'name-marker',
      'page-open-marker',
      'launch-marker',
      'xfa-marker',
      '/JavaScript',
    ])
      expect(kept.bytes.includes(Buffer.from(marker)), marker).toBe(false);
    const reloaded = await PDFDocument.load(kept.bytes, { updateMetadata: false });
    expect(reloaded.getPageCount()).toBe(1);
    expect(reloaded.catalog.get(PDFName.of('OpenAction'))).toBeUndefined();
    expect(reloaded.catalog.get(PDFName.of('AcroForm'))).toBeUndefined();
  });

  it('an encrypted PDF is refused', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    doc.context.trailerInfo.Encrypt = doc.context.register(doc.context.obj({ Filter: 'Standard', V: 1, R: 2 }));
    const input = Buffer.from(await doc.save({ useObjectStreams: false }));

    const refusal = refused(await store.put({ bytes: input }));

    expect(refusal).toMatchObject({ field: 'evidence', rule: evidenceRules.unreadable });
    expect(refusal.message).toMatch(/encrypted/);
    expect(await filesIn(dir)).toEqual([]);
  });
});

/** A PNG whose header claims 20000 × 20000 pixels: its few bytes would decode to 1.2 GB. */
const pngClaiming = async (width: number, height: number) => {
  const png = Buffer.from(await canvas(4, 4).png().toBuffer());
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
};

describe('refusals, each naming the evidence field and leaving the folder empty', () => {
  const cases: readonly [string, () => Promise<{ bytes: Buffer; declaredType?: string }>, string][] = [
    [
      'a file over maxBytes, before anything is decoded',
      async () => ({ bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(2_000, 0x41)]) }),
      evidenceRules.tooLarge,
    ],
    [
      'text declared as a JPEG',
      async () => ({ bytes: Buffer.from('not a photo at all'), declaredType: 'image/jpeg' }),
      evidenceRules.unsupportedType,
    ],
    [
      'a PNG declared as a JPEG',
      async () => ({ bytes: await canvas(8, 8).png().toBuffer(), declaredType: 'image/jpeg' }),
      evidenceRules.typeMismatch,
    ],
    [
      'a PDF declared as a PNG',
      async () => ({ bytes: await pdfWithMetadata(), declaredType: 'image/png' }),
      evidenceRules.typeMismatch,
    ],
    [
      'a truncated JPEG',
      async () => {
        const jpeg = await canvas(200, 150).jpeg().toBuffer();
        return { bytes: jpeg.subarray(0, Math.floor(jpeg.length / 2)), declaredType: 'image/jpeg' };
      },
      evidenceRules.unreadable,
    ],
    [
      'a PDF header over garbage',
      async () => ({ bytes: Buffer.from('%PDF-1.7\nnothing of a document') }),
      evidenceRules.unreadable,
    ],
    [
      'a PNG claiming 20000 × 20000 pixels',
      () => pngClaiming(20_000, 20_000).then((bytes) => ({ bytes })),
      evidenceRules.tooManyPixels,
    ],
    ['an empty file', async () => ({ bytes: Buffer.alloc(0), declaredType: 'image/jpeg' }), evidenceRules.missing],
  ];

  it.each(cases)('%s', async (_, make, rule) => {
    const input = await make();
    const limited = rule === evidenceRules.tooLarge ? createEvidenceStore({ dir, maxBytes: 1_000 }) : store;

    const refusal = refused(await limited.put(input));

    expect(refusal.field).toBe('evidence');
    expect(refusal.rule).toBe(rule);
    expect(refusal.message.length).toBeGreaterThan(0);
    expect(await filesIn(dir)).toEqual([]);
  });

  it('a photo within maxBytes but over maxPixels is refused by its size in pixels', async () => {
    const limited = createEvidenceStore({ dir, maxPixels: 10_000 });

    const refusal = refused(await limited.put({ bytes: await canvas(101, 100).jpeg().toBuffer() }));

    expect(refusal).toMatchObject({ field: 'evidence', rule: evidenceRules.tooManyPixels });
    expect(refusal.message).toMatch(/10100 pixels/);
    expect(stored(await limited.put({ bytes: await canvas(100, 100).jpeg().toBuffer() })).kind).toBe('photo');
  });

  it('several files are stored all or none: a refused third leaves nothing of the first two', async () => {
    const good = [await photoWithGps(), await canvas(50, 50).png().toBuffer()];

    const refusal = refused(await store.putAll([...good.map((bytes) => ({ bytes })), { bytes: Buffer.from('text') }]));

    expect(refusal.rule).toBe(evidenceRules.unsupportedType);
    expect(refusal.message).toMatch(/^file 3 of 3: /);
    expect(await filesIn(dir)).toEqual([]);

    const all = await store.putAll(good.map((bytes) => ({ bytes })));
    expect(E.isRight(all) && all.right.map((one) => one.mediaType)).toEqual(['image/jpeg', 'image/png']);
    expect(await filesIn(dir)).toHaveLength(2);
  });
});

describe('the content-addressed folder', () => {
  it('staged files are in the store only once kept, and leave nothing behind when discarded', async () => {
    const [a, b] = [await canvas(30, 20).jpeg().toBuffer(), await canvas(20, 30).png().toBuffer()];
    const discarded = await store.stageAll([{ bytes: a }, { bytes: b }]);
    if (E.isLeft(discarded)) throw new Error(discarded.left.message);
    expect(await store.open(discarded.right.stored[0]!.sha256)).toBeNull();
    await discarded.right.discard();
    expect(await filesIn(dir)).toEqual([]);

    const kept = await store.stageAll([{ bytes: a }]);
    if (E.isLeft(kept)) throw new Error(kept.left.message);
    await kept.right.keep();
    expect((await store.open(kept.right.stored[0]!.sha256))?.mediaType).toBe('image/jpeg');
    // The same content staged again and kept: one file, the temporary one removed.
    const again = await store.stageAll([{ bytes: a }]);
    if (E.isLeft(again)) throw new Error(again.left.message);
    await again.right.keep();
    expect(await filesIn(dir)).toHaveLength(1);
  });

  it('the same photo stored twice is one file under its hash, the hash of what is on disk', async () => {
    const input = await photoWithGps();

    const first = stored(await store.put({ bytes: input }));
    const second = stored(await store.put({ bytes: input, declaredType: 'image/jpeg' }));

    expect(second).toEqual(first);
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first.uri).toBe(`evidence:sha256:${first.sha256}`);
    const path = join(dir, 'sha256', first.sha256.slice(0, 2), first.sha256);
    expect(await filesIn(dir)).toEqual([path]);
    const onDisk = await readFile(path);
    expect(createHash('sha256').update(onDisk).digest('hex')).toBe(first.sha256);
    expect(onDisk.length).toBe(first.size);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'sha256'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'sha256', first.sha256.slice(0, 2)))).mode & 0o777).toBe(0o700);
  });

  it('open answers the stored bytes and their type, and null for an absent or malformed hash', async () => {
    const evidence = stored(await store.put({ bytes: await canvas(30, 30).webp().toBuffer() }));

    const found = await store.open(evidence.sha256);

    expect(found?.mediaType).toBe('image/webp');
    expect(createHash('sha256').update(found!.bytes).digest('hex')).toBe(evidence.sha256);
    expect(await store.open('0'.repeat(64))).toBeNull();
    expect(await store.open(evidence.sha256.toUpperCase())).toBeNull();
    expect(await store.open('../../etc/passwd')).toBeNull();
    expect(await store.open(`../${evidence.sha256.slice(0, 2)}/${evidence.sha256}`)).toBeNull();
    expect(await store.open(`${evidence.sha256}\0`)).toBeNull();
  });
});
