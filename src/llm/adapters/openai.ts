/**
 * OpenAI adapter on the `openai` SDK (Chat Completions). Structured output through
 * `response_format: {type: "json_schema"}` (non-strict: strict mode would require every
 * property to be required; local validation enforces the full schema). A base URL makes it
 * talk to OpenAI-compatible local servers (llama.cpp, vLLM, Ollama, LM Studio). The SDK never
 * retries (maxRetries: 0): the gateway owns retries.
 */
import type { default as OpenAIClient } from 'openai';
import { providerName, toProviderSchema } from './provider-schema.ts';
import { checkResponseShape, toLlmCallError } from './sdk-errors.ts';
import { routeSdkWarnings, sdkLogger } from './sdk-warnings.ts';
import type { LlmAdapter, LlmRequest, LlmResponse } from './types.ts';

/** The current small GPT of the installed SDK (openai 6.49): fast and cheap enough for audits. */
export const OPENAI_DEFAULT_MODEL = 'gpt-5.4-mini';

type Completion = OpenAIClient.Chat.Completions.ChatCompletion;

export interface OpenAIAdapterConfig {
  /** Undefined only for a local base URL (see createAdapter). */
  apiKey: string | undefined;
  model: string;
  baseUrl?: string | undefined;
  timeoutMs: number;
  /** The SDK's own warnings; silent when absent. */
  onWarning?: ((message: string) => void) | undefined;
}

export class OpenAIAdapter implements LlmAdapter {
  readonly name = 'openai';
  readonly model: string;
  readonly endpoint: string;
  readonly #client: OpenAIClient;
  readonly #onWarning: ((message: string) => void) | undefined;
  readonly #tokenParam: 'max_completion_tokens' | 'max_tokens';

  constructor(OpenAI: typeof OpenAIClient, config: OpenAIAdapterConfig) {
    this.model = config.model;
    this.endpoint = config.baseUrl ?? 'https://api.openai.com/v1';
    this.#onWarning = config.onWarning;
    this.#client = new OpenAI({
      // Local servers ignore the key; the SDK insists on a non-empty one.
      apiKey: config.apiKey ?? 'no-key',
      baseURL: config.baseUrl ?? 'https://api.openai.com/v1',
      maxRetries: 0,
      timeout: config.timeoutMs,
      logLevel: config.onWarning === undefined ? 'off' : 'warn',
      logger: sdkLogger(config.onWarning),
    });
    // OpenAI deprecated max_tokens; many compatible servers only know max_tokens.
    this.#tokenParam = config.baseUrl === undefined ? 'max_completion_tokens' : 'max_tokens';
  }

  async complete(request: LlmRequest): Promise<LlmResponse> {
    let completion: Completion;
    try {
      // create() itself prints some notices (a deprecated model): it runs inside the routing
      const { data, response } = await routeSdkWarnings(this.#onWarning, () =>
        this.#client.chat.completions
          .create(
            {
              model: request.model,
              [this.#tokenParam]: request.maxOutputTokens,
              ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
              messages: [
                { role: 'system', content: request.system },
                ...request.messages.map((m) => ({ role: m.role, content: m.content })),
              ],
              response_format: {
                type: 'json_schema',
                json_schema: {
                  name: providerName(request.schemaName),
                  schema: toProviderSchema(request.schema),
                  strict: false,
                },
              },
            },
            request.signal === undefined ? {} : { signal: request.signal },
          )
          .withResponse(),
      );
      completion = checkResponseShape<Completion>(data, response, 'openai', (b) =>
        !Array.isArray(b.choices) || b.choices.length === 0
          ? 'missing its choices'
          : (b.choices[0] as { message?: unknown }).message === undefined
            ? 'missing the message of its first choice'
            : undefined,
      );
    } catch (e) {
      throw toLlmCallError(e, 'openai');
    }
    const choice = completion.choices[0];
    const usage = {
      inputTokens: completion.usage?.prompt_tokens ?? 0,
      outputTokens: completion.usage?.completion_tokens ?? 0,
      cachedTokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0,
    };
    const base = { model: completion.model, usage };
    const text = choice?.message.content ?? '';
    const refusal = choice?.message.refusal;
    if (
      (refusal !== undefined && refusal !== null && refusal !== '') ||
      choice?.finish_reason === 'content_filter'
    ) {
      return { ...base, stopReason: 'refusal', text, refusal: refusal ?? 'content filter' };
    }
    if (choice?.finish_reason === 'length') return { ...base, stopReason: 'truncated', text };
    return { ...base, stopReason: 'complete', text };
  }
}
