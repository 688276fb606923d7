/**
 * The bus task state machine (ARCHITECTURE.md, "The bus on SQLite"): every state and
 * every legal move is listed here; anything else throws.
 *
 *   queued ─claim─▶ claimed ─ack─▶ done
 *      ▲               │ └─fail─▶ failed ─▶ retry ─claim─▶ claimed
 *      └─release/expire┘                 └─▶ dead
 */
import { ConflictError } from '../../core/errors.ts';

export const TASK_STATES = ['queued', 'claimed', 'done', 'failed', 'retry', 'dead'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** from → the states it may move to. */
export const TASK_TRANSITIONS: Readonly<Record<TaskState, readonly TaskState[]>> = Object.freeze({
  queued: Object.freeze(['claimed'] as const),
  // claimed → queued: the claim was released, or its timeout expired (a crashed consumer)
  claimed: Object.freeze(['done', 'failed', 'queued'] as const),
  done: Object.freeze([] as const),
  failed: Object.freeze(['retry', 'dead'] as const),
  retry: Object.freeze(['claimed'] as const),
  dead: Object.freeze([] as const),
});

/** States with no way out. */
export const TERMINAL_TASK_STATES: readonly TaskState[] = TASK_STATES.filter(
  (s) => TASK_TRANSITIONS[s].length === 0,
);

export function isTaskState(value: string): value is TaskState {
  return (TASK_STATES as readonly string[]).includes(value);
}

export function canTransition(from: TaskState, to: TaskState): boolean {
  return TASK_TRANSITIONS[from].includes(to);
}

/** An illegal move of a task (exit 5: the task is not in a state that allows it). */
export class IllegalTransitionError extends ConflictError {
  readonly from: string;
  readonly to: string;
  constructor(from: string, to: string) {
    const allowed = isTaskState(from) ? TASK_TRANSITIONS[from] : [];
    super(`illegal task transition ${from} → ${to}`, {
      hint:
        allowed.length > 0
          ? `from ${from} a task may move to: ${allowed.join(', ')}`
          : isTaskState(from)
            ? `${from} is a final state`
            : `"${from}" is not a task state (${TASK_STATES.join(', ')})`,
      details: { from, to },
    });
    this.from = from;
    this.to = to;
  }
}

/** Check a move and return the new state; throws IllegalTransitionError. */
export function transition(from: TaskState, to: TaskState): TaskState {
  if (!isTaskState(from) || !isTaskState(to) || !canTransition(from, to))
    throw new IllegalTransitionError(from, to);
  return to;
}
