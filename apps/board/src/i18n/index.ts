// Which language a request is answered in, and its catalogue. Chinese unless the reader chose English
// (the `lang` cookie set by the visible switch) or their browser asks for it (`Accept-Language`).
import type { Request } from 'express';
import { en } from './en.js';
import { type Messages, zh } from './zh.js';

export type Lang = 'zh' | 'en';
export type { Messages };

export const catalogues: Readonly<Record<Lang, Messages>> = { zh, en };

export const isLang = (value: unknown): value is Lang => value === 'zh' || value === 'en';

export const langOf = (req: Request, cookieLang: string | undefined): Lang => {
  if (isLang(cookieLang)) return cookieLang;
  const accepted = req.acceptsLanguages('zh', 'zh-CN', 'en');
  return typeof accepted === 'string' && accepted.startsWith('en') ? 'en' : 'zh';
};
