// What the workbench is given by its composition root (the embedded main job, the server-mode board,
// tests): the command API it posts through, the read models it lists public rows from, where evidence is
// kept, how people sign in, and the secret its form tokens are made with. Nothing here opens a connection.
import type { ReadModels } from '@banshishi/read-models';
import type { Logger } from 'pino';
import type { EvidenceStore } from './evidence/store.js';
import type { ApiClient } from './http/api-client.js';

export interface DemoSignInPerson {
  readonly personId: string;
  readonly role: string;
  readonly unitId: string;
  /** Role, unit and an official's name; a resident's label never holds their name. */
  readonly label: string;
}

/**
 * How people sign in. `demo` (embedded mode): pick a demo person, the workbench issues their dev token.
 * `token` (server mode): the city's single sign-on proxy in front sends `Authorization: Bearer <JWT>`, or
 * a person pastes a token; the API verifies it either way.
 */
export type SignInMode =
  | {
      readonly kind: 'demo';
      readonly people: readonly DemoSignInPerson[];
      readonly issue: (personId: string) => Promise<string>;
    }
  | { readonly kind: 'token' };

export interface WorkbenchDeps {
  readonly api: ApiClient;
  readonly readModels: ReadModels;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly signIn: SignInMode;
  readonly evidence: EvidenceStore;
  /** At least 32 random bytes: the CSRF tokens' HMAC key. */
  readonly csrfSecret: string;
  /** Mark cookies Secure (the workbench is reached over HTTPS). */
  readonly secureCookies: boolean;
  /** Largest upload, in bytes (default 10 MiB), and files per form (default 5). */
  readonly maxUploadBytes?: number;
  readonly maxUploadFiles?: number;
}
