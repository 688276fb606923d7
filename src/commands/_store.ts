/**
 * The campaign store, for the commands whose other paths never touch it (`audit <file>`,
 * `explain thac0`, `action` with a sheet file, an LLM call without a log or cache): loaded
 * by src/cli only when a path opens the campaign (`lazy(ctx, '_store')`).
 */
export { openCampaign, readDocument, withCampaign } from '../store/open.ts';
