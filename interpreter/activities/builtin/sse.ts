import type { HttpPolicy } from '../http-policy';
import { defineActivity, definePlugin, type Plugin } from '../types';
import { guardedFetch } from './guarded-fetch';
import { attemptSignal, fetchFailure, requestInit, statusFailure } from './http';

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

export interface SseConsumeInput {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Stop after this many events (counting those read by earlier attempts). */
  maxEvents?: number;
  /** Stop after the first event of this type (e.g. `done`); it is included. */
  until?: string;
  /** `events` (default): the events; `data`: their data concatenated into one string. */
  collect?: 'events' | 'data';
  /** Parse each event's data as JSON (events mode). */
  json?: boolean;
  timeout?: string | number;
}

/** Heartbeat details: progress for people, and what a retry needs to resume. */
export interface SseProgress {
  received: number;
  lastEventId?: string;
  events: SseEvent[];
}

/** An incremental parser for the text/event-stream format (WHATWG HTML, "server-sent events"). */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  lastEventId: string | undefined;

  /** Feeds a chunk of text; returns the events it completed. */
  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      // A trailing \r may be the first half of \r\n: wait for more input.
      if (!m || (m[0] === '\r' && m.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const ev = this.line(line);
      if (ev) out.push(ev);
    }
    return out;
  }

  /** End of stream: an unterminated event is dropped, as the spec says. */
  end(): SseEvent[] {
    return [];
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = '';
        return undefined;
      }
      const ev: SseEvent = { event: this.event || 'message', data: this.data.join('\n') };
      if (this.id !== undefined) ev.id = this.id;
      this.data = [];
      this.event = '';
      return ev;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) {
      this.id = value;
      this.lastEventId = value;
    }
    return undefined;
  }
}

function shape(events: SseEvent[], input: SseConsumeInput): unknown {
  if (input.collect === 'data') return events.map((e) => e.data).join('');
  if (!input.json) return events;
  return events.map((e) => {
    try {
      return { ...e, data: JSON.parse(e.data) as unknown };
    } catch {
      return e;
    }
  });
}

/** `sse.consume`, reaching only what `policy` allows (the same policy as http.request). */
export const sseConsume = (policy: HttpPolicy) =>
  defineActivity<SseConsumeInput, unknown>({
    name: 'sse.consume',
    description:
      'Reads a Server-Sent Events stream until it ends (or maxEvents / until), heartbeating each event; returns the events, or their data concatenated. A retry resumes after the last heartbeat with Last-Event-ID.',
    input: {
      type: 'object',
      required: ['url'],
      properties: {
        url: { type: 'string', minLength: 1 },
        method: { type: 'string' },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        body: {},
        maxEvents: { type: 'integer', minimum: 1 },
        until: { type: 'string' },
        collect: { enum: ['events', 'data'] },
        json: { type: 'boolean' },
        timeout: { type: ['string', 'number'] },
      },
      additionalProperties: false,
    },
    defaults: { timeouts: { startToClose: '10m', heartbeat: '30s' } },
    async run(input, ctx) {
      const previous = ctx.info.heartbeatDetails as SseProgress | undefined;
      const events: SseEvent[] = previous?.events ? [...previous.events] : [];
      const done = () =>
        (input.maxEvents !== undefined && events.length >= input.maxEvents) ||
        (input.until !== undefined && events.at(-1)?.event === input.until);
      if (done()) return shape(events, input);

      const init = requestInit(input, attemptSignal(ctx, input.timeout));
      const headers: Record<string, string> = {
        accept: 'text/event-stream',
        ...init.headers,
      };
      if (previous?.lastEventId !== undefined) headers['last-event-id'] = previous.lastEventId;
      let res: Response;
      try {
        res = await guardedFetch(input.url, { ...init, headers }, policy);
      } catch (err) {
        throw fetchFailure(err, ctx, input.url);
      }
      if (res.status < 200 || res.status > 299) {
        throw statusFailure(
          init.method ?? 'GET',
          input.url,
          res.status,
          res.statusText,
          await res.text(),
        );
      }
      if (!res.body) return shape(events, input);

      const parser = new SseParser();
      let lastEventId = previous?.lastEventId;
      const decoder = new TextDecoder();
      const reader = res.body.getReader();
      try {
        for (;;) {
          let chunk: Awaited<ReturnType<typeof reader.read>>;
          try {
            chunk = await reader.read();
          } catch (err) {
            throw fetchFailure(err, ctx, input.url);
          }
          const text = chunk.done
            ? decoder.decode()
            : decoder.decode(chunk.value, { stream: true });
          for (const ev of parser.push(text)) {
            events.push(ev);
            if (ev.id !== undefined) lastEventId = ev.id;
            // A copy: the SDK may encode heartbeat details after this loop has moved on.
            const progress: SseProgress = { received: events.length, events: [...events] };
            if (lastEventId !== undefined) progress.lastEventId = lastEventId;
            ctx.heartbeat(progress);
            if (done()) return shape(events, input);
          }
          if (chunk.done) return shape(events, input);
        }
      } finally {
        await reader.cancel().catch(() => undefined);
      }
    },
  });

export function ssePlugin(policy: HttpPolicy): Plugin {
  return definePlugin({
    name: 'sse',
    description: 'Server-Sent Events',
    activities: [sseConsume(policy)],
  });
}
