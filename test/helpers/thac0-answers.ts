/** The ok answer to each claimed rules.thac0 task, as an ackMany batch (bus tests and fixtures). */
import { newEventId } from '../../src/agents/runtime.ts';
import type { ClaimedTask } from '../../src/bus/types.ts';
import type { RequestMessage } from '../../src/contracts/bus/envelope.ts';
import { createResponse } from '../../src/contracts/bus/validate.ts';

export function thac0Acks(claimed: readonly ClaimedTask[]) {
  return claimed.map((t) => ({
    taskId: t.task_id,
    response: createResponse(
      t.message as RequestMessage<'rules.thac0'>,
      { status: 'ok', result: { class: 'fighter', group: 'warrior', level: 1, thac0: 20 } },
      { event_id: newEventId(), timestamp: new Date(), auth: t.message.auth },
    ),
  }));
}
