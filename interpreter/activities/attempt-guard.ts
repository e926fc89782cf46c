import type { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
// The metric names only: the observability barrel loads the OpenTelemetry SDK.
import { METRICS } from '../observability/names';
import { abandonedCount, recordAbandoned } from './abandoned';

/** How long a plugin gets to settle after its signal was aborted before it counts as abandoned. */
export const ABANDON_GRACE_MS = 1000;

/**
 * The failure type of an attempt whose time ran out on the worker: the DSL's `Timeout`, the type
 * a flow sees (and catches) when Temporal times a step out, whichever of the two reports first.
 */
export const ACTIVITY_TIMEOUT = 'Timeout';

/**
 * How long after a deadline the worker steps in. Temporal's own timer normally fires first and
 * records the timeout as it always has; the worker's late report is then dropped, and all it
 * changes is that the slot is freed and the plugin's signal aborted.
 */
export const TIMEOUT_SLACK_MS = 1000;

interface Deadline {
  at: number;
  timeout: 'start-to-close' | 'schedule-to-close';
  ms: number;
}

/**
 * When this attempt's time is up, on the local clock: start-to-close counts from when the
 * function started here (the server started it a little earlier, so the server's timer fires
 * first), schedule-to-close from the server's scheduled time.
 */
export function attemptDeadline(info: Context['info'], startedAt: number): Deadline | undefined {
  const found: Deadline[] = [];
  if (info.startToCloseTimeoutMs > 0) {
    found.push({
      at: startedAt + info.startToCloseTimeoutMs,
      timeout: 'start-to-close',
      ms: info.startToCloseTimeoutMs,
    });
  }
  const scheduleToClose = info.scheduledTimestampMs + info.scheduleToCloseTimeoutMs;
  // A schedule-to-close deadline already past at the start says more about the clocks (the
  // server's against this machine's) than about the attempt; the server keeps its own timer.
  if (info.scheduleToCloseTimeoutMs > 0 && scheduleToClose > startedAt) {
    found.push({
      at: scheduleToClose,
      timeout: 'schedule-to-close',
      ms: info.scheduleToCloseTimeoutMs,
    });
  }
  return found.sort((a, b) => a.at - b.at)[0];
}

function cancelledBy(signal: AbortSignal): CancelledFailure {
  const reason: unknown = signal.reason;
  if (reason instanceof CancelledFailure) return reason;
  return new CancelledFailure(typeof reason === 'string' ? reason : 'cancelled');
}

/**
 * Keeps one activity attempt within its time, whatever the plugin does. Temporal tells a worker
 * about a timeout only through a heartbeat's answer, so a plugin that neither heartbeats nor
 * returns would hold its slot for ever (with the default retry, every slot, one attempt after
 * another) and keep the worker from shutting down. The guard aborts the plugin's signal when the
 * start-to-close or schedule-to-close deadline passes, when no heartbeat came within the
 * heartbeat timeout, or when Temporal cancels the attempt (cancel request, timeout seen on a
 * heartbeat, worker shutdown), and `stopped` rejects at once so the attempt ends and frees its
 * slot even if `run` never settles. A plugin still running ABANDON_GRACE_MS later is logged,
 * counted (`weft_activities_abandoned_total`, the health route) and left behind.
 *
 * Deadlines fire TIMEOUT_SLACK_MS late, so Temporal's own timeout is what history records. Once
 * a plugin has been abandoned on this worker, though, its later attempts are stopped a little
 * before the deadline instead, so the worker's failure (type Timeout, saying the plugin ignores
 * cancellation) reaches the server before its own timer and is what `weft describe` shows as the
 * pending activity's last failure.
 */
export class AttemptGuard {
  private readonly controller = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  private lastBeat: number;
  private stop!: (err: Error) => void;
  private readonly onCancel = () => this.abort(cancelledBy(this.context.cancellationSignal));
  /** Aborted when the attempt's time is up or Temporal cancels it: the plugin's `ctx.signal`. */
  readonly signal: AbortSignal = this.controller.signal;
  /** Rejects with the reason when the signal aborts; race the plugin's work against it. */
  readonly stopped: Promise<never>;

  constructor(
    private readonly context: Context,
    private readonly name: string,
    now = Date.now(),
  ) {
    this.lastBeat = now;
    this.stopped = new Promise<never>((_, reject) => {
      this.stop = reject;
    });
    this.stopped.catch(() => undefined);
    const sdk = context.cancellationSignal;
    if (sdk.aborted) {
      this.onCancel();
      return;
    }
    sdk.addEventListener('abort', this.onCancel, { once: true });
    this.armDeadline(now);
    const hb = context.info.heartbeatTimeoutMs;
    if (hb !== undefined && hb > 0) this.armHeartbeat(hb);
  }

  /** The plugin's `ctx.heartbeat`: records the beat for the heartbeat timeout, then sends it. */
  readonly heartbeat = (details?: unknown): void => {
    this.lastBeat = Date.now();
    this.context.heartbeat(details);
  };

  private abort(reason: Error): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(reason);
    this.stop(reason);
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    this.timers.push(t);
  }

  private armDeadline(now: number): void {
    const deadline = attemptDeadline(this.context.info, now);
    if (!deadline) return;
    const seconds = `${deadline.ms / 1000}s`;
    const abandoned = abandonedCount(this.name);
    if (abandoned === 0) {
      this.later(deadline.at + TIMEOUT_SLACK_MS - now, () =>
        this.abort(
          ApplicationFailure.create({
            type: ACTIVITY_TIMEOUT,
            message: `${this.name}: its ${deadline.timeout} timeout of ${seconds} passed; the worker aborted its signal and freed its slot`,
          }),
        ),
      );
      return;
    }
    // Early enough for the failure to beat the server's timer, late enough to cost little.
    const margin = Math.min(500, deadline.ms / 10);
    this.later(deadline.at - margin - now, () =>
      this.abort(
        ApplicationFailure.create({
          type: ACTIVITY_TIMEOUT,
          message: `${this.name}: the plugin ignores cancellation (${abandoned} attempt(s) abandoned on this worker, still running), so this attempt was stopped ${margin} ms before its ${deadline.timeout} timeout of ${seconds} and its slot freed`,
        }),
      ),
    );
  }

  private armHeartbeat(timeoutMs: number): void {
    const check = () => {
      const idle = Date.now() - this.lastBeat;
      if (idle < timeoutMs + TIMEOUT_SLACK_MS) {
        this.later(timeoutMs + TIMEOUT_SLACK_MS - idle, check);
        return;
      }
      this.abort(
        ApplicationFailure.create({
          type: ACTIVITY_TIMEOUT,
          message: `${this.name}: no heartbeat within its heartbeat timeout of ${timeoutMs / 1000}s; the worker aborted its signal and freed its slot`,
        }),
      );
    };
    this.later(timeoutMs + TIMEOUT_SLACK_MS, check);
  }

  /**
   * Call once the attempt has returned. When the signal was aborted and `work` (the plugin's
   * run) has not settled within the grace period, the plugin ignored it: log and count it.
   */
  finish(work: Promise<unknown>): void {
    for (const t of this.timers.splice(0)) clearTimeout(t);
    this.context.cancellationSignal.removeEventListener('abort', this.onCancel);
    if (!this.signal.aborted) return;
    let settled = false;
    const done = () => {
      settled = true;
    };
    work.then(done, done);
    const t = setTimeout(() => {
      if (settled) return;
      recordAbandoned(this.name);
      const reason = this.signal.reason as Error | undefined;
      this.context.log.warn('plugin ignored cancellation: attempt abandoned, its slot freed', {
        activity: this.name,
        reason: reason?.message,
        graceMs: ABANDON_GRACE_MS,
      });
      try {
        this.context.metricMeter
          .createCounter(
            METRICS.activitiesAbandoned,
            'count',
            'Activity attempts whose plugin kept running after its signal was aborted',
          )
          .add(1, { activity: this.name });
      } catch {
        // No metrics (e.g. the mock activity environment): the log and the count remain.
      }
    }, ABANDON_GRACE_MS);
    t.unref();
  }
}
