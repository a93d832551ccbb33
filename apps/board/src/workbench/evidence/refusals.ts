// Every refusal of an uploaded piece of evidence: the stable rule names, and the refusal a form shows
// beside its evidence field. Callers and the UI catalogue key on the rule; the English message is for
// logs and the API, and may be reworded.

export const evidenceRules = {
  tooLarge: 'evidence.too_large',
  unsupportedType: 'evidence.unsupported_type',
  typeMismatch: 'evidence.type_mismatch',
  unreadable: 'evidence.unreadable',
  tooManyPixels: 'evidence.too_many_pixels',
  tooManyFiles: 'evidence.too_many_files',
  missing: 'evidence.missing',
} as const;

export type EvidenceRule = (typeof evidenceRules)[keyof typeof evidenceRules];

export interface EvidenceRefusal {
  readonly rule: EvidenceRule;
  readonly field: 'evidence';
  readonly message: string;
}

export const evidenceRefusal = (rule: EvidenceRule, message: string): EvidenceRefusal => ({
  rule,
  field: 'evidence',
  message,
});
