// What every refusal of the API looks like to a client, checked in one place for the HTTP specs: the
// status, problem details of the rule that refused (code, rule, its URN type) as application/problem+json,
// and the correlation id the answer's header names.
import { expect } from 'vitest';
import type { ApiResponse } from './api-fixture.js';

export interface Problem {
  readonly type: string;
  readonly status: number;
  readonly code: string;
  readonly rule: string;
  readonly detail: string;
  readonly instance: string;
  readonly fields?: readonly { readonly path: string; readonly message: string }[];
  readonly currentRevision?: number | null;
  readonly correlationId?: string;
}

/** Asserts the answer is this rule's refusal and gives its problem details. */
export const expectRefusal = (answer: ApiResponse, status: number, code: string, rule: string): Problem => {
  expect({ status: answer.status, rule: (answer.body as Problem | undefined)?.rule }).toEqual({ status, rule });
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = answer.body as Problem;
  expect(problem).toMatchObject({ type: `urn:banshishi:rule:${rule}`, status, code, rule });
  expect(problem.correlationId).toBe(answer.headers.get('x-correlation-id'));
  return problem;
};

/** The paths of the fields a refusal names. */
export const fieldPaths = (problem: Problem): string[] => (problem.fields ?? []).map((f) => f.path);
