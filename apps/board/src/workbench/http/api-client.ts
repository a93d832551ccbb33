// The workbench talks to the command API over HTTP, as any client does: every form a person posts becomes
// one API request carrying their token, and every answer (a refusal, a conflict) comes back as the API
// gave it. In the embedded mode the API is the same process's own port; in server mode its URL is
// configured. A connection that fails answers like the API's own 503, so a page never breaks on it.
export interface ApiCall {
  readonly method: 'GET' | 'POST';
  /** Under the API's base, e.g. `/problems/p-1/claim`. */
  readonly path: string;
  readonly body?: unknown;
  /** The item's revision the person saw: sent as If-Match, so a stale form is refused, not applied. */
  readonly ifMatch?: number;
  /** One key per form shown: posting the same form twice stores one result. */
  readonly idempotencyKey?: string;
  readonly acting?: { readonly role: string; readonly unitId: string };
  /** The person's own address, for the API's rate limit (it trusts the workbench's address to say it). */
  readonly clientAddress?: string;
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface ApiClient {
  call(token: string, call: ApiCall): Promise<ApiAnswer>;
}

/** The API's problem details, as much of them as the workbench shows. */
export interface ApiRefusal {
  readonly status: number;
  readonly rule: string;
  readonly code: string;
  readonly message: string;
  readonly fields: readonly { readonly path: string; readonly message: string }[];
  readonly currentRevision: number | null;
}

const unavailable = (message: string): ApiAnswer => ({
  status: 503,
  body: { status: 503, rule: 'workbench.api_unavailable', code: 'unavailable', detail: message },
});

export const refusalOf = (answer: ApiAnswer): ApiRefusal => {
  const body = (typeof answer.body === 'object' && answer.body !== null ? answer.body : {}) as Record<string, unknown>;
  const fields = Array.isArray(body.fields)
    ? body.fields.flatMap((f: unknown) =>
        typeof f === 'object' && f !== null && typeof (f as { path?: unknown }).path === 'string'
          ? [{ path: (f as { path: string }).path, message: String((f as { message?: unknown }).message ?? '') }]
          : [],
      )
    : [];
  return {
    status: answer.status,
    rule: typeof body.rule === 'string' ? body.rule : `http.${answer.status}`,
    code: typeof body.code === 'string' ? body.code : 'unknown',
    message: typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : '',
    fields,
    currentRevision: typeof body.currentRevision === 'number' ? body.currentRevision : null,
  };
};

export const httpApiClient = (baseUrl: () => string, options: { readonly timeoutMs?: number } = {}): ApiClient => ({
  async call(token, call) {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.ifMatch !== undefined) headers['if-match'] = `"${call.ifMatch}"`;
    if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;
    if (call.acting !== undefined) {
      headers['x-acting-role'] = call.acting.role;
      headers['x-acting-unit'] = call.acting.unitId;
    }
    if (call.clientAddress !== undefined) headers['x-forwarded-for'] = call.clientAddress;
    try {
      const response = await fetch(`${baseUrl()}${call.path}`, {
        method: call.method,
        headers,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        redirect: 'manual',
      });
      const text = await response.text();
      let body: unknown = null;
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        return unavailable(`the API answered ${response.status} without JSON`);
      }
      return { status: response.status, body };
    } catch (error) {
      return unavailable(error instanceof Error ? error.message : 'the API could not be reached');
    }
  },
});
