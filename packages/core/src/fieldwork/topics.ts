// 五问五解决 (seed 002, West Coast): on a grid visit a member asks after five things and notes what each
// brought up. Shared by every visit record that uses the five topics.
import * as t from 'io-ts';

export const visitTopics = ['production', 'environment', 'culture', 'suggestions', 'living'] as const;
/** 问生产, 问环境, 问文化, 问建议, 问民生. */
export const VisitTopic = t.keyof(
  Object.fromEntries(visitTopics.map((topic) => [topic, null])) as Record<(typeof visitTopics)[number], null>,
  'VisitTopic',
);
export type VisitTopic = t.TypeOf<typeof VisitTopic>;
