// Receiving evidence from a workbench form: a multipart body whose files are under the field `evidence`
// and whose other fields are the form's text. The contract with a route:
//
//   - `evidenceUpload(...)` goes before the route. A multipart body is read into memory within its limits;
//     its text fields land in `req.body` and its files in `req.files`, as multer puts them.
//   - A body the upload refuses (a file too large, too many files, a file under another field, too many or
//     too long fields, a malformed body) never becomes an error: the middleware attaches the refusal,
//     empties `req.files`, and calls `next()`. `req.body` then holds the text fields read before the fault,
//     for the form to show again. The route asks `uploadRefusalOf(req)` and, when there is one, re-renders
//     its form with the message and an answer of its choosing, without acting on the request.
//   - `storeUploads(store, req)` answers the refusal if there is one, else stores every uploaded file (all
//     or none). No file is no refusal: whether evidence is required is the route's, or the domain's, rule.
//   - A request that is not multipart passes through untouched (no `req.body`, no refusal).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import * as E from 'fp-ts/lib/Either.js';
import multer from 'multer';
import { type EvidenceRefusal, evidenceRefusal, evidenceRules } from './refusals.js';
import type { EvidenceStore, StagedEvidence, StoredEvidence } from './store.js';

export const evidenceField = 'evidence';

export interface EvidenceUploadOptions {
  /** Largest file, in bytes (the store's maxBytes). */
  readonly maxBytes: number;
  /** Most files in one form (default 5). */
  readonly maxFiles?: number;
  /** Most text fields in one form (default 50). */
  readonly maxFields?: number;
  /** Longest text field, in bytes (default 64 KiB). */
  readonly maxFieldBytes?: number;
}

const refusals = new WeakMap<Request, EvidenceRefusal>();

/** The refusal `evidenceUpload` attached to this request, if its body was refused. */
export const uploadRefusalOf = (req: Request): EvidenceRefusal | undefined => refusals.get(req);

const refusalOf = (error: unknown, options: Required<EvidenceUploadOptions>): EvidenceRefusal => {
  if (!(error instanceof multer.MulterError)) {
    return evidenceRefusal(evidenceRules.unreadable, 'the form could not be read (a malformed multipart body)');
  }
  switch (error.code) {
    case 'LIMIT_FILE_SIZE':
      return evidenceRefusal(evidenceRules.tooLarge, `a file is larger than the ${options.maxBytes} bytes allowed`);
    case 'LIMIT_FILE_COUNT':
      return evidenceRefusal(evidenceRules.tooManyFiles, `at most ${options.maxFiles} files may be attached`);
    case 'LIMIT_UNEXPECTED_FILE':
      return error.field === evidenceField
        ? evidenceRefusal(evidenceRules.tooManyFiles, `at most ${options.maxFiles} files may be attached`)
        : evidenceRefusal(evidenceRules.unreadable, `files are accepted only under the field "${evidenceField}"`);
    case 'LIMIT_PART_COUNT':
    case 'LIMIT_FIELD_COUNT':
    case 'LIMIT_FIELD_KEY':
    case 'LIMIT_FIELD_VALUE':
      return evidenceRefusal(evidenceRules.tooLarge, 'the form has too many fields, or a field is too long');
    default:
      return evidenceRefusal(evidenceRules.unreadable, 'the form could not be read');
  }
};

/** Reads a workbench form's multipart body; see the contract at the top of this file. */
export const evidenceUpload = (options: EvidenceUploadOptions): RequestHandler => {
  const resolved: Required<EvidenceUploadOptions> = {
    maxBytes: options.maxBytes,
    maxFiles: options.maxFiles ?? 5,
    maxFields: options.maxFields ?? 50,
    maxFieldBytes: options.maxFieldBytes ?? 64 * 1024,
  };
  const read = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: resolved.maxBytes,
      files: resolved.maxFiles,
      fields: resolved.maxFields,
      fieldSize: resolved.maxFieldBytes,
      fieldNameSize: 200,
      fieldNestingDepth: 4,
      fieldArrayIndexLimit: 100,
      parts: resolved.maxFiles + resolved.maxFields,
    },
  }).array(evidenceField, resolved.maxFiles);
  return (req: Request, res: Response, next: NextFunction) => {
    read(req, res, (error?: unknown) => {
      if (error) {
        refusals.set(req, refusalOf(error, resolved));
        req.files = [];
      }
      next();
    });
  };
};

const uploadedFilesOf = (req: Request): Express.Multer.File[] => (Array.isArray(req.files) ? req.files : []);

const inputsOf = (req: Request) =>
  uploadedFilesOf(req).map((file) => ({
    bytes: file.buffer,
    declaredType: file.mimetype,
    fileName: file.originalname,
  }));

/** Every file of the request stored, or the refusal of its body or of its first refused file. */
export const storeUploads = async (
  store: EvidenceStore,
  req: Request,
): Promise<E.Either<EvidenceRefusal, StoredEvidence[]>> => {
  const refused = uploadRefusalOf(req);
  if (refused) return E.left(refused);
  return store.putAll(inputsOf(req));
};

/** Every file of the request staged (kept only once the command naming them is taken), or the refusal. */
export const stageUploads = async (
  store: EvidenceStore,
  req: Request,
): Promise<E.Either<EvidenceRefusal, StagedEvidence>> => {
  const refused = uploadRefusalOf(req);
  if (refused) return E.left(refused);
  return store.stageAll(inputsOf(req));
};
