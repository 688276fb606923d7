/**
 * The envelope checks every transport shares: what may be published (requests) and what
 * may answer a task (a response caused by the task's request). The schemas themselves are
 * the contracts' (src/contracts/bus/).
 */
import { UsageError } from '../core/errors.ts';
import type { BusMessage } from '../contracts/bus/envelope.ts';
import { validateMessage } from '../contracts/bus/validate.ts';

/** Validated requests (UsageError naming the problem otherwise). */
export function toRequests(inputs: readonly unknown[]): BusMessage[] {
  return inputs.map((input) => {
    const msg = validateMessage(input);
    if (msg.kind !== 'request')
      throw new UsageError('only requests are published; a response is published by ack()');
    return msg;
  });
}

/** A validated response (whether it answers the right request is checkCausation's). */
export function toResponse(input: unknown): BusMessage {
  return validateMessage(input);
}

/** A response must be caused by its task's request. */
export function checkCausation(msg: BusMessage, taskId: number, requestEventId: string): void {
  if (msg.kind !== 'response' || msg.causation_id !== requestEventId)
    throw new UsageError(
      `the response to task ${taskId} must be caused by event ${requestEventId}`,
    );
}

/** The outcome an answered task records: the response payload's status. */
export const outcomeOf = (msg: BusMessage): 'ok' | 'error' =>
  (msg.payload as { status: 'ok' | 'error' }).status;
