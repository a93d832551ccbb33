// Residents whose personal data a privacy check knows by heart: demo problem and wish streams staged
// again, command by command through the deciders, under new ids and with a crafted resident's name,
// phone, ID number and address in every personal field (and in the free texts that may carry them), so
// the check can insist on visiting these items and finding none of it.
import {
  type Command,
  commandHandler,
  createDirectoryContextLoader,
  type EventStore,
  type PersonalDataSealer,
  readWholeLogEvents,
  type StoredEvent,
  type WishCommand,
  wishRevealFor,
} from '@banshishi/core';
import { demoLifecycles, idCheckDigit } from '@banshishi/demo';
import * as E from 'fp-ts/lib/Either.js';

const idFirst17 = '37028119880506123';

/** The crafted resident: values no public page, export, feed or log may ever show. */
export const craftedResident = {
  name: '张秀兰',
  phone: '13912345678',
  /** The phone as a person types it into a form, with separators. */
  phoneAsWritten: '139-1234-5678',
  idNumber: idFirst17 + idCheckDigit(idFirst17),
  address: '山东省青岛市胶州市某某路88号3单元',
  /** An enterprise's contact person, whose name and phone are as personal as a resident's. */
  contactName: '綦玉琛',
  contactPhone: '15087654321',
} as const;

const r = craftedResident;
const description = `楼道灯坏了很久。联系人：${r.name}，电话：${r.phoneAsWritten}，身份证号${r.idNumber}，住址${r.address}`;
const comment = `${r.name}（${r.phone}）很满意，住${r.address}`;

export interface CraftedItems {
  readonly personId: string;
  /** Every problem staged, fully or in part: each must be visited. */
  readonly problemIds: readonly string[];
  readonly wishIds: readonly string[];
  /** Problems and wishes staged to the end of their demo original (closed, showcased). */
  readonly complete: { readonly problems: readonly string[]; readonly wishes: readonly string[] };
}

type Data = Record<string, unknown>;

/** The fields of an event's data a command repeats, those the event has. */
const pick = (d: Data, ...keys: string[]): Data =>
  Object.fromEntries(keys.filter((k) => d[k] !== undefined && d[k] !== null).map((k) => [k, d[k]] as const));

/** A demo problem event as the command that decided it, with the crafted resident in its personal fields. */
const problemCommandOf = (event: StoredEvent, problemId: string): { type: string; data: Data } | null => {
  const d = event.data as Data;
  const only = (...keys: string[]) => pick(d, ...keys);
  switch (event.type) {
    case 'ProblemSolicited': {
      const raiser = d.raiser as Data | undefined;
      const crafted =
        raiser === undefined
          ? undefined
          : raiser.kind === 'resident'
            ? { ...raiser, name: r.name, phone: r.phoneAsWritten, address: r.address }
            : { ...raiser, contactName: r.contactName, contactPhone: r.contactPhone };
      return {
        type: 'solicitProblem',
        data: {
          ...only('unitId', 'source', 'grade', 'title', 'category'),
          problemId,
          description,
          ...(crafted === undefined ? {} : { raiser: crafted }),
        },
      };
    }
    case 'ProblemAssigned':
      return { type: 'assignProblem', data: { ...only('toUnitId', 'note'), problemId } };
    case 'ProblemClaimed':
      return { type: 'claimProblem', data: { ...only('plan', 'promisedBy'), problemId } };
    case 'ProblemEscalated':
      return { type: 'escalateProblem', data: { ...only('reason'), problemId } };
    case 'ProblemSupervised':
      return { type: 'superviseProblem', data: { ...only('ground', 'note'), problemId } };
    case 'ProblemProgressNoted':
      return { type: 'noteProblemProgress', data: { ...only('note'), problemId } };
    case 'ProblemSolved':
      return { type: 'solveProblem', data: { ...only('summary', 'evidence'), problemId } };
    case 'ProblemEvaluated':
      return {
        type: 'evaluateProblem',
        data: {
          ...only('kind', 'verdict', 'raiserUnreachable'),
          problemId,
          ...(d.kind === 'assessment' ? {} : { comment }),
        },
      };
    default:
      return null;
  }
};

const wishCommandOf = (event: StoredEvent, wishId: string): { type: string; data: Data } | null => {
  const d = event.data as Data;
  const only = (...keys: string[]) => pick(d, ...keys);
  switch (event.type) {
    case 'WishCollected': {
      const wisher = d.wisher as Data;
      return {
        type: 'collectWish',
        data: {
          ...only('unitId', 'category', 'description', 'consent'),
          wishId,
          wisher: {
            name: r.name,
            phone: r.phoneAsWritten,
            address: r.address,
            ...(wisher.personId === null ? {} : { personId: wisher.personId }),
          },
        },
      };
    }
    case 'WishClaimed':
      return { type: 'claimWish', data: { wishId } };
    case 'WishReleased':
      return { type: 'releaseWish', data: { ...only('reason'), wishId } };
    case 'WishFulfilled':
      return { type: 'fulfilWish', data: { ...only('summary', 'evidence'), wishId } };
    case 'WishConfirmed':
      return { type: 'confirmWish', data: { wishId, verdict: 'satisfied', comment } };
    case 'WishReopened':
      return { type: 'confirmWish', data: { wishId, verdict: 'unsatisfied', comment } };
    case 'WishShowcased':
      return { type: 'showcaseWish', data: { ...only('story'), wishId } };
    case 'WishCancelled':
      return { type: 'cancelWish', data: { ...only('grounds', 'reason'), wishId } };
    default:
      return null;
  }
};

/** Events the deciders add on their own (销号 after a verdict, a reopening): no command stands behind them. */
const followers = new Set(['ProblemClosed', 'ProblemReopened']);

/** The whole log, in order. */
/** The whole log; with a sealer, revealed (the tests' own data, read to look for it elsewhere). */
export const readWholeLog = async (store: EventStore, personalData?: PersonalDataSealer): Promise<StoredEvent[]> => {
  const out: StoredEvent[] = await readWholeLogEvents(store);
  if (personalData === undefined) return out;
  const revealed = await personalData.reveal(out, {
    code: 'verification',
    statement: 'privacy tests: the values to look for on the public board',
  });
  if (E.isLeft(revealed)) throw new Error(revealed.left.message);
  return revealed.right;
};

/**
 * Stages the crafted resident's items in a store that holds the demo: a registered resident with an ID
 * number, problems (resident- and enterprise-raised, one closed, one still open) and wishes (one
 * showcased by name), each a copy of a demo stream's decisions.
 */
export const craftResidentItems = async (
  store: EventStore,
  personalData: PersonalDataSealer,
): Promise<CraftedItems> => {
  const context = createDirectoryContextLoader(store);
  // Each lifecycle is widened to plain commands once, here, as the demo's own seeding does.
  const handlerOf = (lifecycle: (typeof demoLifecycles)[keyof typeof demoLifecycles]) =>
    commandHandler<Command, never, unknown>({
      personalData,
      revealFor: (command: Command) =>
        lifecycle === demoLifecycles.wish ? wishRevealFor(command as WishCommand) : undefined,
      store,
      decider: lifecycle.decider as never,
      registry: lifecycle.registry as never,
      streamIdOf: lifecycle.streamIdOf as (command: Command) => string,
      context,
    });
  const handlers = {
    person: handlerOf(demoLifecycles.person),
    problem: handlerOf(demoLifecycles.problem),
    wish: handlerOf(demoLifecycles.wish),
  };
  const events = await readWholeLog(store, personalData);
  const streams = new Map<string, StoredEvent[]>();
  for (const e of events) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
  const issue = async (lifecycle: keyof typeof handlers, event: StoredEvent, command: { type: string; data: Data }) =>
    handlers[lifecycle]({ ...command, metadata: { actor: event.actor, now: event.occurredAt } } as Command);

  const registration = events.find((e) => e.type === 'PersonRegistered' && (e.data as Data).kind === 'resident');
  if (registration === undefined) throw new Error('the demo registers no resident');
  const personId = 'crafted-resident-1';
  const registered = await issue('person', registration, {
    type: 'registerPerson',
    data: { personId, kind: 'resident', name: r.name, phone: r.phone, idNumber: r.idNumber },
  });
  if (E.isLeft(registered)) throw new Error(`registering the crafted resident: ${registered.left.message}`);

  /** Stages copies of candidate streams until `want` of them went through to the end. */
  const stage = async (
    lifecycle: 'problem' | 'wish',
    candidates: readonly StoredEvent[][],
    want: number,
    prefix: string,
    staged: string[],
    complete: string[],
  ) => {
    const commandOf = lifecycle === 'problem' ? problemCommandOf : wishCommandOf;
    for (const original of candidates) {
      if (complete.length >= want) return;
      const id = `${prefix}-${staged.length + 1}`;
      let whole = true;
      for (const event of original) {
        if (followers.has(event.type)) continue;
        const command = commandOf(event, id);
        if (command === null) {
          whole = false;
          break;
        }
        const result = await issue(lifecycle, event, command);
        if (E.isLeft(result)) {
          whole = false;
          break;
        }
        if (!staged.includes(id)) staged.push(id);
      }
      if (whole && staged.includes(id)) complete.push(id);
    }
  };

  const byCategory = (category: 'problem' | 'wish') =>
    [...streams.entries()].filter(([id]) => id.startsWith(`${category}-`)).map(([, list]) => list);
  const has = (list: readonly StoredEvent[], type: string) => list.some((e) => e.type === type);
  const raiserKind = (list: readonly StoredEvent[]) => ((list[0]?.data as Data).raiser as Data | undefined)?.kind;
  const problems = byCategory('problem');
  const wishes = byCategory('wish');

  const problemIds: string[] = [];
  const completeProblems: string[] = [];
  await stage(
    'problem',
    problems.filter((s) => raiserKind(s) === 'resident' && has(s, 'ProblemClosed') && has(s, 'ProblemEvaluated')),
    1,
    'crafted-problem',
    problemIds,
    completeProblems,
  );
  await stage(
    'problem',
    problems.filter((s) => raiserKind(s) === 'enterprise'),
    2,
    'crafted-problem',
    problemIds,
    completeProblems,
  );
  await stage(
    'problem',
    problems.filter((s) => raiserKind(s) === 'resident' && !has(s, 'ProblemClosed') && !has(s, 'ProblemRejected')),
    3,
    'crafted-problem',
    problemIds,
    completeProblems,
  );
  const wishIds: string[] = [];
  const completeWishes: string[] = [];
  const consentOf = (list: readonly StoredEvent[]) => (list[0]?.data as Data).consent;
  await stage(
    'wish',
    wishes.filter((s) => has(s, 'WishShowcased') && consentOf(s) === 'named'),
    1,
    'crafted-wish',
    wishIds,
    completeWishes,
  );
  await stage(
    'wish',
    wishes.filter((s) => has(s, 'WishConfirmed') && !has(s, 'WishShowcased')),
    2,
    'crafted-wish',
    wishIds,
    completeWishes,
  );
  return { personId, problemIds, wishIds, complete: { problems: completeProblems, wishes: completeWishes } };
};
