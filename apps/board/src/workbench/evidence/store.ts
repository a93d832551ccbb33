// The workbench's evidence (photos, documents a secretary or member attaches when a problem is solved or a
// wish fulfilled), stored by the SHA-256 of what is kept: events carry `evidence:sha256:<hex>`, never the
// file. What is kept is the file without its metadata (strip.ts), so the hash names the stripped copy.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open as openFile, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { type EvidenceKind, type EvidenceMediaType, kindOf, normaliseDeclaredType, sniffMediaType } from './media.js';
import { type EvidenceRefusal, evidenceRefusal, evidenceRules } from './refusals.js';
import { stripDocument, stripPhoto } from './strip.js';

export type { EvidenceKind, EvidenceMediaType } from './media.js';
export { type EvidenceRefusal, type EvidenceRule, evidenceRules } from './refusals.js';

export interface EvidenceInput {
  readonly bytes: Buffer;
  /** The type the client claimed (a multipart part's Content-Type); checked against the bytes, never trusted. */
  readonly declaredType?: string;
  /** Neither used for the type nor kept: a file name may hold a person's name. */
  readonly fileName?: string;
}

export interface StoredEvidence {
  /** SHA-256 of the stored (stripped) bytes, 64 lowercase hex digits. */
  readonly sha256: string;
  readonly kind: EvidenceKind;
  readonly mediaType: EvidenceMediaType;
  /** Bytes stored. */
  readonly size: number;
  /** `evidence:sha256:<hex>`, what an event's evidence item carries. */
  readonly uri: string;
}

/**
 * Files checked, stripped and written under temporary names, not yet in the store: kept once the command
 * naming them was taken, discarded when it was refused, so a refused command leaves no file behind.
 */
export interface StagedEvidence {
  readonly stored: readonly StoredEvidence[];
  /** Renames each file into place (an identical file already there is kept as it is). */
  keep(): Promise<void>;
  /** Removes the temporary files. */
  discard(): Promise<void>;
}

export interface EvidenceStore {
  /** Strips, hashes and stores one file; the same content twice stores one file and answers the same. */
  put(input: EvidenceInput): Promise<E.Either<EvidenceRefusal, StoredEvidence>>;
  /**
   * Several files, all or none: every file is checked and stripped before the first is written, so a
   * refused third photo leaves nothing of the first two behind.
   */
  putAll(inputs: readonly EvidenceInput[]): Promise<E.Either<EvidenceRefusal, StoredEvidence[]>>;
  /** As putAll, all or none, but held back until `keep` (the command was taken) or `discard`. */
  stageAll(inputs: readonly EvidenceInput[]): Promise<E.Either<EvidenceRefusal, StagedEvidence>>;
  /** The stored bytes, or null when the hash is absent or is not 64 lowercase hex digits. */
  open(sha256: string): Promise<{ bytes: Buffer; mediaType: EvidenceMediaType } | null>;
}

export interface EvidenceStoreOptions {
  /** The store's folder; files go under `<dir>/sha256/`. */
  readonly dir: string;
  /** Largest upload accepted, checked before anything is decoded (default 10 MiB). */
  readonly maxBytes?: number;
  /** Largest photo accepted in pixels, width × height (default 40 million). */
  readonly maxPixels?: number;
}

export const defaultMaxEvidenceBytes = 10 * 1024 * 1024;
export const defaultMaxEvidencePixels = 40e6;

export const evidenceUriPrefix = 'evidence:sha256:';

const sha256Hex = /^[0-9a-f]{64}$/;

/** Whether a string can name stored evidence; anything else never reaches the file system. */
export const isEvidenceHash = (candidate: string): boolean => sha256Hex.test(candidate);

/** The hash an `evidence:sha256:<hex>` URI names, or null for any other string. */
export const evidenceHashOf = (uri: string): string | null => {
  const hash = uri.startsWith(evidenceUriPrefix) ? uri.slice(evidenceUriPrefix.length) : '';
  return isEvidenceHash(hash) ? hash : null;
};

interface Prepared {
  readonly stored: StoredEvidence;
  readonly bytes: Buffer;
}

const prepare =
  (maxBytes: number, maxPixels: number) =>
  async (input: EvidenceInput): Promise<E.Either<EvidenceRefusal, Prepared>> => {
    const { bytes } = input;
    if (bytes.length === 0) return E.left(evidenceRefusal(evidenceRules.missing, 'the file is empty'));
    if (bytes.length > maxBytes) {
      return E.left(
        evidenceRefusal(
          evidenceRules.tooLarge,
          `the file has ${bytes.length} bytes, more than the ${maxBytes} allowed`,
        ),
      );
    }
    const mediaType = sniffMediaType(bytes);
    if (mediaType === null) {
      return E.left(
        evidenceRefusal(evidenceRules.unsupportedType, 'only JPEG, PNG or WebP photos and PDF documents are accepted'),
      );
    }
    const declared = normaliseDeclaredType(input.declaredType);
    if (declared !== null && declared !== mediaType) {
      return E.left(
        evidenceRefusal(
          evidenceRules.typeMismatch,
          `the file was declared as ${declared} but its content is ${mediaType}`,
        ),
      );
    }
    const stripped =
      mediaType === 'application/pdf' ? await stripDocument(bytes) : await stripPhoto(bytes, mediaType, maxPixels);
    if (E.isLeft(stripped)) return stripped;
    const kept = stripped.right;
    const sha256 = createHash('sha256').update(kept).digest('hex');
    return E.right({
      bytes: kept,
      stored: { sha256, kind: kindOf(mediaType), mediaType, size: kept.length, uri: evidenceUriPrefix + sha256 },
    });
  };

const exists = async (path: string) => {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
};

export const createEvidenceStore = (options: EvidenceStoreOptions): EvidenceStore => {
  const maxBytes = options.maxBytes ?? defaultMaxEvidenceBytes;
  const maxPixels = options.maxPixels ?? defaultMaxEvidencePixels;
  const root = join(options.dir, 'sha256');
  const folderOf = (sha256: string) => join(root, sha256.slice(0, 2));
  const pathOf = (sha256: string) => join(folderOf(sha256), sha256);
  const prepareOne = prepare(maxBytes, maxPixels);

  /**
   * Written under a temporary name in the file's own folder (synced), to be renamed into place by `keep`,
   * so a reader finds the whole file or none. Two writers of the same content race harmlessly: both
   * rename identical bytes.
   */
  const writeTemporary = async ({ stored, bytes }: Prepared): Promise<string> => {
    await mkdir(folderOf(stored.sha256), { recursive: true, mode: 0o700 });
    const temporary = `${pathOf(stored.sha256)}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await openFile(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return temporary;
    } catch (e) {
      await rm(temporary, { force: true });
      throw e;
    }
  };

  const stageAll: EvidenceStore['stageAll'] = async (inputs) => {
    const prepared: Prepared[] = [];
    // One at a time: each photo is decoded at full size, and the board shares its cores.
    for (const [index, input] of inputs.entries()) {
      const one = await prepareOne(input);
      if (E.isLeft(one)) {
        const refusal = one.left;
        return E.left(
          inputs.length === 1
            ? refusal
            : { ...refusal, message: `file ${index + 1} of ${inputs.length}: ${refusal.message}` },
        );
      }
      prepared.push(one.right);
    }
    const temporaries: { readonly temporary: string; readonly path: string }[] = [];
    try {
      for (const one of prepared)
        temporaries.push({ temporary: await writeTemporary(one), path: pathOf(one.stored.sha256) });
    } catch (e) {
      await Promise.all(temporaries.map(({ temporary }) => rm(temporary, { force: true })));
      throw e;
    }
    return E.right({
      stored: prepared.map((one) => one.stored),
      keep: async () => {
        for (const { temporary, path } of temporaries) {
          if (await exists(path)) await rm(temporary, { force: true });
          else await rename(temporary, path);
        }
      },
      discard: async () => {
        await Promise.all(temporaries.map(({ temporary }) => rm(temporary, { force: true })));
      },
    });
  };

  const putAll: EvidenceStore['putAll'] = async (inputs) => {
    const staged = await stageAll(inputs);
    if (E.isLeft(staged)) return staged;
    await staged.right.keep();
    return E.right([...staged.right.stored]);
  };

  return {
    put: async (input) => {
      const all = await putAll([input]);
      return E.isLeft(all) ? all : E.right(all.right[0]!);
    },
    putAll,
    stageAll,
    open: async (sha256) => {
      if (!isEvidenceHash(sha256)) return null;
      let bytes: Buffer;
      try {
        bytes = await readFile(pathOf(sha256));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
      const mediaType = sniffMediaType(bytes);
      // Only this module writes here, and only files it recognised: anything else is a broken store.
      if (mediaType === null || createHash('sha256').update(bytes).digest('hex') !== sha256) {
        throw new Error(`evidence store: the file for ${sha256} does not hold what was stored`);
      }
      return { bytes, mediaType };
    },
  };
};
