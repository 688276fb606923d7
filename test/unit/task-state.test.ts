import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/core/errors.ts';
import {
  IllegalTransitionError,
  TASK_STATES,
  TASK_TRANSITIONS,
  TERMINAL_TASK_STATES,
  canTransition,
  transition,
  type TaskState,
} from '../../src/contracts/bus/task-state.ts';

const legal: [TaskState, TaskState][] = [
  ['queued', 'claimed'],
  ['claimed', 'done'],
  ['claimed', 'failed'],
  ['claimed', 'queued'],
  ['failed', 'retry'],
  ['failed', 'dead'],
  ['retry', 'claimed'],
];

describe('task state machine', () => {
  it('allows exactly the documented transitions', () => {
    const all = TASK_STATES.flatMap((from) =>
      TASK_STATES.map((to) => [from, to] as [TaskState, TaskState]),
    );
    const allowed = all.filter(([f, t]) => canTransition(f, t));
    expect(allowed).toEqual(expect.arrayContaining(legal));
    expect(allowed).toHaveLength(legal.length);
  });

  it.each(legal)('%s → %s is legal', (from, to) => {
    expect(transition(from, to)).toBe(to);
  });

  it.each([
    ['queued', 'done'],
    ['done', 'queued'],
    ['dead', 'retry'],
    ['retry', 'done'],
    ['failed', 'claimed'],
    ['claimed', 'claimed'],
  ] as [TaskState, TaskState][])('%s → %s throws IllegalTransitionError', (from, to) => {
    let caught: unknown;
    try {
      transition(from, to);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(IllegalTransitionError);
    expect(caught).toBeInstanceOf(ConflictError);
    const e = caught as IllegalTransitionError;
    expect(e).toMatchObject({ from, to, exitCode: 5 });
    expect(e.message).toBe(`illegal task transition ${from} → ${to}`);
  });

  it('explains the way out, or that there is none', () => {
    expect(() => transition('queued', 'done')).toThrow(
      expect.objectContaining({ hint: 'from queued a task may move to: claimed' }),
    );
    expect(() => transition('done', 'queued')).toThrow(
      expect.objectContaining({ hint: 'done is a final state' }),
    );
    expect(() => transition('lost' as TaskState, 'queued')).toThrow(
      expect.objectContaining({ hint: expect.stringContaining('not a task state') }),
    );
  });

  it('done and dead are terminal; the table is frozen', () => {
    expect(TERMINAL_TASK_STATES).toEqual(['done', 'dead']);
    expect(Object.isFrozen(TASK_TRANSITIONS)).toBe(true);
    expect(Object.isFrozen(TASK_TRANSITIONS.queued)).toBe(true);
  });
});
