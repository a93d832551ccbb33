// Placeholder until the refusal catalogue lands (being written on its own branch).
import type { Lang } from '../../i18n/index.js';

export const refusalText = (lang: Lang, rule: string, fallback: string): string =>
  fallback === '' ? (lang === 'zh' ? `未能办理（${rule}）` : `Refused (${rule})`) : fallback;
export const fieldLabel = (_lang: Lang, path: string): string | null => path;
