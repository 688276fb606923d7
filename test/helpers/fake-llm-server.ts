/**
 * A scripted HTTP server on 127.0.0.1 (port 0) that speaks just enough of the Anthropic
 * Messages or OpenAI Chat Completions API for the real SDKs. Replies are taken from a queue;
 * with an empty queue it answers `fallback`. Every request is recorded. close() ends it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
  /** Wait before answering (timer unref'd so a test never hangs on it). */
  delayMs?: number;
  /** Send this text as the body as it is (truncated JSON, HTML) instead of JSON.stringify(body). */
  raw?: string;
  /** Never answer: headers and body are withheld until the client gives up or close(). */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  enqueue(...replies: (FakeReply | ((req: RecordedRequest) => FakeReply))[]): void;
  close(): Promise<void>;
}

export async function startFakeServer(
  fallback: (req: RecordedRequest) => FakeReply,
): Promise<FakeServer> {
  const queue: (FakeReply | ((req: RecordedRequest) => FakeReply))[] = [];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      };
      requests.push(recorded);
      const next = queue.shift() ?? fallback;
      const reply = typeof next === 'function' ? next(recorded) : next;
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status ?? 200, {
          'content-type': 'application/json',
          ...reply.headers,
        });
        res.end(reply.raw ?? JSON.stringify(reply.body));
      };
      if (reply.hang === true) return;
      if (reply.delayMs === undefined) send();
      else setTimeout(send, reply.delayMs).unref();
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// response bodies

export function anthropicToolReply(input: unknown, over: Record<string, unknown> = {}): FakeReply {
  return {
    body: {
      id: 'msg_test',
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [{ type: 'tool_use', id: 'toolu_test', name: 'result', input }],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: {
        input_tokens: 120,
        output_tokens: 40,
        cache_read_input_tokens: 900,
        cache_creation_input_tokens: 0,
      },
      ...over,
    },
  };
}

export function anthropicError(
  status: number,
  type: string,
  headers: Record<string, string> = {},
): FakeReply {
  return { status, headers, body: { type: 'error', error: { type, message: `${type} (fake)` } } };
}

export function openaiReply(
  content: string | null,
  over: { finish_reason?: string; refusal?: string | null } = {},
): FakeReply {
  return {
    body: {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 0,
      model: 'gpt-test',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: over.refusal ?? null },
          finish_reason: over.finish_reason ?? 'stop',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 150,
        completion_tokens: 30,
        total_tokens: 180,
        prompt_tokens_details: { cached_tokens: 128 },
      },
    },
  };
}

export function openaiError(
  status: number,
  headers: Record<string, string> = {},
  message = 'fake error',
): FakeReply {
  return { status, headers, body: { error: { message, type: 'server_error', code: null } } };
}

/** HTTP 200 whose JSON body stops half-way (a proxy cut the connection short). */
export function truncatedJsonReply(full: FakeReply): FakeReply {
  const text = JSON.stringify(full.body);
  return { body: null, raw: text.slice(0, Math.floor(text.length / 2)) };
}

/** HTTP 200 with an HTML page (a captive portal or a misconfigured proxy). */
export function htmlReply(): FakeReply {
  return {
    body: null,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    raw: '<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>',
  };
}
