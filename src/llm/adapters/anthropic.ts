/**
 * Anthropic adapter on @anthropic-ai/sdk. Structured output is a forced tool call whose
 * input_schema is the handoff schema; the static system prompt carries a cache_control mark so
 * Anthropic's prompt cache serves it across calls. The SDK never retries (maxRetries: 0): the
 * gateway owns retries.
 */
import type { default as AnthropicClient } from '@anthropic-ai/sdk';
import { toProviderSchema, providerName } from './provider-schema.ts';
import { toLlmCallError } from './sdk-errors.ts';
import type { LlmAdapter, LlmRequest, LlmResponse } from './types.ts';

export const ANTHROPIC_DEFAULT_MODEL = 'claude-sonnet-4-5';

export interface AnthropicAdapterConfig {
  apiKey: string;
  model: string;
  baseUrl?: string | undefined;
  timeoutMs: number;
}

export class AnthropicAdapter implements LlmAdapter {
  readonly name = 'anthropic';
  readonly model: string;
  readonly #client: AnthropicClient;

  constructor(Anthropic: typeof AnthropicClient, config: AnthropicAdapterConfig) {
    this.model = config.model;
    // The key lives only inside the SDK client (a private field here); it is never logged.
    // Everything is passed explicitly so the SDK reads no credential or URL from process.env
    // (a key given in code disables its environment lookup), and it never prints.
    this.#client = new Anthropic({
      apiKey: config.apiKey,
      baseURL: config.baseUrl ?? 'https://api.anthropic.com',
      maxRetries: 0,
      timeout: config.timeoutMs,
      logLevel: 'off',
    });
  }

  async complete(request: LlmRequest): Promise<LlmResponse> {
    const toolName = providerName(request.schemaName);
    let message;
    try {
      message = await this.#client.messages.create(
        {
          model: request.model,
          max_tokens: request.maxOutputTokens,
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          system: [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }],
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
