// Placeholder until the evidence store lands (being written on its own branch).
import type * as E from 'fp-ts/lib/Either.js';

export interface StoredEvidence {
  readonly sha256: string;
  readonly kind: 'photo' | 'document';
  readonly mediaType: string;
  readonly size: number;
  readonly uri: string;
}
export interface EvidenceRefusal {
  readonly rule: string;
  readonly field: 'evidence';
  readonly message: string;
}
export interface EvidenceStore {
  put(input: {
    bytes: Buffer;
    declaredType?: string;
    fileName?: string;
  }): Promise<E.Either<EvidenceRefusal, StoredEvidence>>;
  open(sha256: string): Promise<{ bytes: Buffer; mediaType: string } | null>;
}
export const createEvidenceStore = (_options: { dir: string; maxBytes?: number }): EvidenceStore => ({
  put: async () => ({
    _tag: 'Left',
    left: { rule: 'evidence.unsupported_type', field: 'evidence', message: 'not yet' },
  }),
  open: async () => null,
});
