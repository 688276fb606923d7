/**
 * The message bus (ARCHITECTURE.md): one envelope, state machine, work tokens and
 * idempotency above two transports — `sqlite` (in the campaign file) and `redis`
 * (Streams with consumer groups), chosen by `DMA_BUS`.
 */
export { Bus } from './bus.ts';
export { busTarget, openBus, withBus, redactUrl, type BusTarget } from './open.ts';
export { SqliteTransport } from './sqlite/transport.ts';
export { busOf, SqliteBus } from './sqlite/bus.ts';
export * from './types.ts';
