// The workbench's catalogues by language. Each area's catalogue is its own file; a page picks its own with
// `byLang(catalogue, ctx.lang)`.
import type { Lang } from '../../i18n/index.js';
import { type CommonMessages, commonEn, commonZh } from './common.js';

export const common: Readonly<Record<Lang, CommonMessages>> = { zh: commonZh, en: commonEn };

export const byLang = <M>(catalogue: { readonly zh: M; readonly en: M }, lang: Lang): M => catalogue[lang];
export type { CommonMessages };
