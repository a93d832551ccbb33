// How a personal value is stored once sealed (docs/privacy.md): in place of the value, an object naming
// the cipher, the data subject whose key sealed it, and the ciphertext. Reading a sealed event without
// revealing it gives the `sealed` marker in each personal field; a forgotten subject's fields give the
// `forgotten` marker. Both are strings, so every codec, decider and read model keeps its types.

/** The cipher and layout of a sealed value; a later one would get its own name. */
export const sealedValueFormat = 'xchacha20poly1305/1';

export interface SealedValue {
  readonly sealed: typeof sealedValueFormat;
  /** The data subject whose key sealed the value (docs/privacy.md, "Data subjects"). */
  readonly subject: string;
  /** base64 of the 24-byte nonce followed by the ciphertext and its 16-byte tag. */
  readonly ciphertext: string;
}

const sealedKeys = ['ciphertext', 'sealed', 'subject'].join();

export const isSealedValue = (u: unknown): u is SealedValue => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return false;
  const o = u as Record<string, unknown>;
  return (
    o.sealed === sealedValueFormat &&
    typeof o.subject === 'string' &&
    typeof o.ciphertext === 'string' &&
    Object.keys(o).sort().join() === sealedKeys
  );
};

/**
 * What a personal field reads as when it is not in the clear. ⟦ and ⟧ (U+27E6, U+27E7) keep them apart
 * from anything a person types; personal fields of commands refuse them as input.
 */
export const personalDataMarkers = {
  /** Stored sealed and not revealed: the reader did not ask for it (folding, projections, the board). */
  sealed: '⟦personal data sealed⟧',
  /** The subject's key was destroyed (`forgetSubject`): the value is gone for good. */
  forgotten: '⟦forgotten⟧',
} as const;

export const isForgottenValue = (value: unknown): boolean => value === personalDataMarkers.forgotten;
export const isSealedMarker = (value: unknown): boolean => value === personalDataMarkers.sealed;
/** True for a value that stands for personal data the reader does not have. */
export const isWithheldValue = (value: unknown): boolean => isForgottenValue(value) || isSealedMarker(value);

/**
 * What `reveal` puts in place of a forgotten subject's sealed value: never stored, it decodes as the
 * `forgotten` marker (the marker string itself is refused as input).
 */
export interface ForgottenValue {
  readonly forgotten: string;
}

const forgottenValues = new WeakSet<object>();

export const forgottenValueOf = (subject: string): ForgottenValue => {
  const value = { forgotten: subject };
  forgottenValues.add(value);
  return value;
};

/** Only objects made by `forgottenValueOf` in this process count: stored data cannot forge one. */
export const isForgottenPlaceholder = (u: unknown): u is ForgottenValue =>
  typeof u === 'object' && u !== null && forgottenValues.has(u);

const revealedData = new WeakSet<object>();

/** Marks event data made by `reveal`: its personal fields are in the clear on purpose, not stored so. */
export const markRevealed = <T>(data: T): T => {
  if (typeof data === 'object' && data !== null) revealedData.add(data);
  return data;
};

export const isRevealedData = (data: unknown): boolean =>
  typeof data === 'object' && data !== null && revealedData.has(data);
