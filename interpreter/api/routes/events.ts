import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { checkName } from '../body';
import type { RouteDeps } from '../context';
import { ApiError } from '../errors';
import { parseEventId, runEvents } from '../events';

const HEARTBEAT_MS = 15_000;
const POLL_MS = 500;

/**
 * GET /api/runs/:id/events: the run as Server-Sent Events (`step` and `run`), from the state
 * so far (replayed from history) to the final run event, then the stream ends. A client that
 * reconnects with Last-Event-ID (or ?lastEventId=) continues right after that event.
 */
export function eventRoutes(deps: RouteDeps): Hono {
  const app = new Hono();
  app.get('/:id/events', async (c) => {
    const workflowId = checkName(c.req.param('id'), 'The run id');
    const lastId = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    const resume = parseEventId(lastId);
    if (lastId !== undefined && lastId !== '' && resume === undefined)
      throw new ApiError('WEFT_API_BAD_REQUEST', 'Last-Event-ID is not an id this stream sent.');
    const asked = c.req.query('runId');
    if (asked !== undefined) checkName(asked, 'runId');
    // Resolve the run before the stream opens, so an unknown id is a plain 404, not an SSE error.
    const described = await deps.client.workflow
      .getHandle(workflowId, resume?.runId ?? asked)
      .describe();
    const runId = described.runId;
    const heartbeatMs = deps.sse?.heartbeatMs ?? HEARTBEAT_MS;
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      const abort = new AbortController();
      stream.onAbort(() => abort.abort());
      const beat = setInterval(() => {
        stream.write(': keep-alive\n\n').catch(() => abort.abort());
      }, heartbeatMs);
      try {
        // Tell EventSource to come back quickly if the connection drops.
        await stream.write('retry: 1000\n\n');
        const events = runEvents({
          client: deps.client,
          workflowId,
          runId,
          ...(resume === undefined ? {} : { resume }),
          signal: abort.signal,
          pollMs: deps.sse?.pollMs ?? POLL_MS,
          gauge: deps.streams,
        });
        for await (const e of events) {
          await stream.writeSSE({ id: e.id, event: e.event, data: JSON.stringify(e.data) });
        }
      } catch (err) {
        if (!abort.signal.aborted) {
          deps.log?.error('event stream failed', { workflowId, runId, error: err });
          await stream
            .writeSSE({
              event: 'error',
              data: JSON.stringify({
                code: 'WEFT_API_INTERNAL',
                message: 'The event stream failed; reconnect to resume.',
              }),
            })
            .catch(() => undefined);
        }
      } finally {
        clearInterval(beat);
        abort.abort();
      }
    });
  });
  return app;
}
