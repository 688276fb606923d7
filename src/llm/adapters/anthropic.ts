/**
 * Anthropic adapter on @anthropic-ai/sdk. Structured output is a forced tool call whose
 * input_schema is the handoff schema; the static system prompt carries a cache_control mark so
 * Anthropic's prompt cache serves it across calls. The SDK never retries (maxRetries: 0): the
 * gateway owns retries.
 */
import type { default as AnthropicClient } from '@anthropic-ai/sdk';
import { toProviderSchema, providerName } from './provider-schema.ts';
import { checkResponseShape, toLlmCallError } from './sdk-errors.ts';
import { routeSdkWarnings, sdkLogger } from './sdk-warnings.ts';
import type { LlmAdapter, LlmRequest, LlmResponse } from './types.ts';

/** The current Claude Sonnet of the installed SDK (@anthropic-ai/sdk 1.12 lists it first). */
export const ANTHROPIC_DEFAULT_MODEL = 'claude-sonnet-5-5';

type Message = AnthropicClient.Messages.Message;

export interface AnthropicAdapterConfig {
  apiKey: string;
  model: string;
  baseUrl?: string | undefined;
  timeoutMs: number;
  /** The SDK's own warnings (deprecated models, …); silent when absent. */
  onWarning?: ((message: string) => void) | undefined;
}

export class AnthropicAdapter implements LlmAdapter {
  readonly name = 'anthropic';
  readonly model: string;
  readonly endpoint: string;
  readonly #client: AnthropicClient;
  readonly #onWarning: ((message: string) => void) | undefined;

  constructor(Anthropic: typeof AnthropicClient, config: AnthropicAdapterConfig) {
    this.model = config.model;
    this.endpoint = config.baseUrl ?? 'https://api.anthropic.com';
    this.#onWarning = config.onWarning;
    // The key lives only inside the SDK client (a private field here); it is never logged.
    // Everything is passed explicitly so the SDK reads no credential or URL from process.env
    // (a key given in code disables its environment lookup), and it never prints.
    this.#client = new Anthropic({
      apiKey: config.apiKey,
      baseURL: config.baseUrl ?? 'https://api.anthropic.com',
      maxRetries: 0,
      timeout: config.timeoutMs,
      logLevel: config.onWarning === undefined ? 'off' : 'warn',
      logger: sdkLogger(config.onWarning),
    });
  }

  async complete(request: LlmRequest): Promise<LlmResponse> {
    const toolName = providerName(request.schemaName);
    let message: Message;
    try {
      // create() itself prints some notices (a deprecated model): it runs inside the routing
      const { data, response } = await routeSdkWarnings(this.#onWarning, () =>
        this.#client.messages
          .create(
            {
              model: request.model,
              max_tokens: request.maxOutputTokens,
              ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
              system: [
                { type: 'text', text: request.system, cache_control: { type: 'ephemeral' } },
              ],
              messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
              tools: [
                {
                  name: toolName,
                  description: `Return the ${request.schemaName} result.`,
                  input_schema: toProviderSchema(request.schema),
                },
              ],
              tool_choice: { type: 'tool', name: toolName },
            },
            request.signal === undefined ? {} : { signal: request.signal },
          )
          .withResponse(),
      );
      message = checkResponseShape<Message>(data, response, 'anthropic', (b) =>
        !Array.isArray(b.content)
          ? 'missing its content blocks'
          : b.usage === null || typeof b.usage !== 'object'
            ? 'missing its token usage'
            : undefined,
      );
    } catch (e) {
      throw toLlmCallError(e, 'anthropic');
    }
    const usage = {
      inputTokens:
        message.usage.input_tokens +
        (message.usage.cache_read_input_tokens ?? 0) +
        (message.usage.cache_creation_input_tokens ?? 0),
      outputTokens: message.usage.output_tokens,
      cachedTokens: message.usage.cache_read_input_tokens ?? 0,
    };
    const text = message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    const tool = message.content.find((b) => b.type === 'tool_use');
    const base = { model: message.model, usage };
    if (message.stop_reason === 'refusal')
      return { ...base, stopReason: 'refusal', text, refusal: text || 'refused' };
    if (
      message.stop_reason === 'max_tokens' ||
      message.stop_reason === 'model_context_window_exceeded'
    ) {
      return {
        ...base,
        stopReason: 'truncated',
        text: tool === undefined ? text : JSON.stringify(tool.input),
      };
    }
    if (tool !== undefined && tool.type === 'tool_use') {
      return {
        ...base,
        stopReason: 'complete',
        output: tool.input,
        text: JSON.stringify(tool.input),
      };
    }
    return { ...base, stopReason: 'complete', text };
  }
}
