/** One Server-Sent Event as a client sees it. */
export interface SseMessage {
  id?: string;
  event: string;
  data: unknown;
}

export interface SseRead {
  status: number;
  contentType: string | null;
  events: SseMessage[];
  /** Comment lines (`: keep-alive`) seen. */
  comments: number;
  /** True when the server ended the stream (not us). */
  ended: boolean;
}

/**
 * Reads an SSE stream with fetch until the server ends it or `stop(events)` says enough, then
 * aborts. A minimal parser for what the Weft API sends: id, event, data (JSON), comments.
 */
export async function readSse(
  url: string,
  options: { headers?: Record<string, string>; stop?: (events: SseMessage[]) => boolean } = {},
): Promise<SseRead> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...options.headers },
    signal: abort.signal,
  });
  const out: SseRead = {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events: [],
    comments: 0,
    ended: false,
  };
  if (!res.body || res.status !== 200) {
    abort.abort();
    return out;
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        out.ended = true;
        break;
      }
      buffer += value;
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        cut = buffer.indexOf('\n\n');
        let id: string | undefined;
        let event = 'message';
        const data: string[] = [];
        let comment = false;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) comment = true;
          else if (line.startsWith('id: ')) id = line.slice(4);
          else if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (data.length === 0) {
          if (comment) out.comments++;
          continue;
        }
        out.events.push({
          ...(id === undefined ? {} : { id }),
          event,
          data: JSON.parse(data.join('\n')) as unknown,
        });
        if (options.stop?.(out.events)) {
          abort.abort();
          return out;
        }
      }
    }
  } catch (err) {
    if (!abort.signal.aborted) throw err;
  }
  return out;
}
