// The media types evidence may have, told apart by their first bytes: what a file says it is (its declared
// type, its name) is only ever checked against this, never believed instead of it.

export const mediaTypes = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  pdf: 'application/pdf',
} as const;

export type EvidenceMediaType = (typeof mediaTypes)[keyof typeof mediaTypes];

export type EvidenceKind = 'photo' | 'document';

export const kindOf = (mediaType: EvidenceMediaType): EvidenceKind =>
  mediaType === mediaTypes.pdf ? 'document' : 'photo';

/** The file name extension a served copy gets. */
export const extensionOf = (mediaType: EvidenceMediaType): string =>
  ({ [mediaTypes.jpeg]: 'jpg', [mediaTypes.png]: 'png', [mediaTypes.webp]: 'webp', [mediaTypes.pdf]: 'pdf' })[
    mediaType
  ];

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/**
 * The media type the bytes themselves announce, or null for anything else. A PDF's header must open the
 * file: the spec lets readers look further in, but a file that hides its header is not one we accept.
 */
export const sniffMediaType = (bytes: Uint8Array): EvidenceMediaType | null => {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return mediaTypes.jpeg;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return mediaTypes.png;
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return mediaTypes.webp;
  if (startsWith(bytes, ascii('%PDF-'))) return mediaTypes.pdf;
  return null;
};

const aliases: Readonly<Record<string, string>> = {
  'image/jpg': mediaTypes.jpeg,
  'image/pjpeg': mediaTypes.jpeg,
  'image/x-png': mediaTypes.png,
  'application/x-pdf': mediaTypes.pdf,
};

/**
 * A declared type in its plain form (`IMAGE/JPG; x=y` → `image/jpeg`), or null when it claims nothing:
 * absent, empty, or the generic `application/octet-stream` a browser sends for a type it does not know.
 */
export const normaliseDeclaredType = (declared: string | undefined): string | null => {
  const essence = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  if (essence === '' || essence === 'application/octet-stream') return null;
  return aliases[essence] ?? essence;
};
