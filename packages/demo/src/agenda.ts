// The script's scheduler: tasks in business-time order. A task runs when its time comes and may issue a
// command; what happens after the command (the next step of an item's plan) is scheduled from there.
import type { DemoCommand, DemoOutcome } from './planning.js';

/** A command a task issues, and what to plan once the deciders have answered it. */
export interface Issued {
  readonly command: DemoCommand;
  readonly afterwards?: (outcome: DemoOutcome) => void;
}

export interface Task {
  readonly at: number;
  readonly seq: number;
  /** Null when there is nothing to issue yet (the task may have scheduled itself again). */
  readonly run: (at: number) => Issued | null;
}

/** A binary min-heap on (time, insertion order): equal times keep the order they were scheduled in. */
export const createAgenda = () => {
  const heap: Task[] = [];
  let seq = 0;
  const before = (a: Task, b: Task) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  return {
    push(at: number, run: Task['run']) {
      heap.push({ at, seq: seq++, run });
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!before(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    },
    pop(): Task | undefined {
      const top = heap[0];
      const last = heap.pop();
      if (heap.length > 0 && last !== undefined) {
        heap[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
          if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
          if (m === i) break;
          [heap[i], heap[m]] = [heap[m]!, heap[i]!];
          i = m;
        }
      }
      return top;
    },
  };
};

export type Agenda = ReturnType<typeof createAgenda>;
