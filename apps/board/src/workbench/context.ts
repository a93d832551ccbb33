// What every workbench page is given: the person's language and catalogues (the workbench's and the
// board's labels), who is signed in and in which role, the form token for this session, and the path
// for the language switch to come back to.
import type { Lang, Messages } from '../i18n/index.js';
import type { Principal } from './http/session.js';
import type { CommonMessages } from './i18n/index.js';

export interface WorkbenchContext {
  readonly lang: Lang;
  readonly m: CommonMessages;
  /** The board's catalogue: statuses, roles, event names, grades. */
  readonly labels: Messages['labels'];
  readonly url: string;
  /** The CSRF token every form of this page carries. */
  readonly csrf: string;
  readonly principal: Principal | null;
  /** An official's public name; null for residents and enterprises (their names are personal data). */
  readonly displayName: string | null;
  readonly signInKind: 'demo' | 'token';
  /** "Now", local time with offset, for overdue marks and default dates. */
  readonly now: string;
}
