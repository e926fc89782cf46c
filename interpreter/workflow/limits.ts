import { patched, workflowInfo } from '@temporalio/workflow';
import {
  describeOverLimit,
  formatBytes,
  HISTORY_EVENT_LIMIT,
  HISTORY_SIZE_LIMIT_BYTES,
  jsonBytes,
  PAYLOAD_LIMIT_BYTES,
  PAYLOAD_OVERHEAD_BYTES,
  utf8BytesOver,
} from '../model/limits';
import type { RunLimits } from '../model/types';
import { ERROR_TYPES, FlowFailure } from './errors';
import { PATCHES } from './patches';

/**
 * Payload limits, checked in the workflow before a payload reaches the server. Past the limit the
 * server refuses the command: a too-large result or continue-as-new input terminates the run
 * (its compensations never run, its state is lost); a too-large activity or child input fails
 * every workflow task until someone terminates it. Failing with PayloadTooLarge instead goes
 * through the ordinary failure path: `catch` can handle it, and compensations run.
 *
 * Each check asks for the patch only when the payload is over the limit, the one case whose
 * behaviour changes, so runs that stay under it record no marker.
 */

/** The bytes a payload may have, as the JSON the converter writes. */
export const PAYLOAD_BUDGET = PAYLOAD_LIMIT_BYTES - PAYLOAD_OVERHEAD_BYTES;

/** Bytes of `value` when over the budget, else undefined; small values cost one stringify. */
export function bytesOver(value: unknown, budget = PAYLOAD_BUDGET): number | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : utf8BytesOver(text, budget);
}

export interface PayloadTooLargeDetails {
  /** What was too large: `output`, `input` (activity or child flow), `vars`. */
  payload: 'output' | 'input' | 'vars';
  bytes: number;
  limit: number;
  /** The var that pushed `vars` over, when one did. */
  var?: string;
}

function payloadTooLarge(
  message: string,
  details: PayloadTooLargeDetails,
  step: string,
): FlowFailure {
  return new FlowFailure({ type: ERROR_TYPES.payloadTooLarge, message, details, step });
}

/** Fails the step when `value` (sent as `payload` by `step`) would exceed the server's limit. */
export function checkPayload(
  value: unknown,
  payload: 'output' | 'input',
  step: string,
  what: string,
): void {
  const bytes = bytesOver(value);
  if (bytes === undefined || !patched(PATCHES.payloadLimits)) return;
  throw payloadTooLarge(
    `${what} is ${describeOverLimit(bytes + PAYLOAD_OVERHEAD_BYTES, PAYLOAD_LIMIT_BYTES)}: pass a reference (a key or URL) instead of the data, or split it`,
    { payload, bytes: bytes + PAYLOAD_OVERHEAD_BYTES, limit: PAYLOAD_LIMIT_BYTES },
    step,
  );
}

/** What continue-as-new would carry besides the definition and input (see continue-as-new.ts). */
export interface CarriedState {
  vars: Record<string, unknown>;
  compensations: unknown;
  signals: unknown;
  /** A top-level forEach's items and results, at its safe points. */
  loop?: unknown;
}

/**
 * Keeps the continue-as-new carry (definition, input, vars, compensations, buffered signals)
 * under the payload limit, so a run that must continue as new can. After each store into vars it
 * adds the stored value's bytes to a bound of the carry, and measures the carry exactly only when
 * that bound passes the budget: a step costs the size of what it stored, not of vars. The bound
 * follows vars only (compensations and buffered signals grow it unseen), so the exact check at
 * continue-as-new stays the last word.
 */
export class CarryGuard {
  /** Bytes of the parts that never change: the compiled flow and the input. Measured lazily. */
  private fixed: number | undefined;
  /** An upper bound of the carry's bytes; undefined until first measured. */
  private bound: number | undefined;

  constructor(
    private readonly definition: () => unknown,
    /**
     * A deterministic upper bound of the carry when the run starts, or undefined to measure at
     * the first store. The interpreter passes the history size at its first task (the start
     * event holds the whole input) plus the initial vars; it replays identically.
     */
    initialBound: number | undefined,
    private readonly budget = PAYLOAD_BUDGET,
  ) {
    this.bound = initialBound;
  }

  /** Exact bytes of the carry with this state. */
  measure(state: CarriedState): number {
    this.fixed ??= jsonBytes(this.definition());
    // The carry is one JSON object: the state's parts add their keys and separators (< 100 bytes).
    const bytes =
      this.fixed +
      jsonBytes(state.vars) +
      jsonBytes(state.compensations) +
      jsonBytes(state.signals) +
      jsonBytes(state.loop) +
      100;
    this.bound = bytes;
    return bytes;
  }

  /** After `value` was stored at vars.`path` by `step`: fails when the carry is now too large. */
  stored(state: () => CarriedState, path: string, value: unknown, step: string): void {
    if (this.bound !== undefined) {
      this.bound += jsonBytes(value) + path.length + 8;
      if (this.bound <= this.budget) return;
    }
    const bytes = this.measure(state());
    if (bytes <= this.budget || !patched(PATCHES.payloadLimits)) return;
    throw payloadTooLarge(
      `storing vars.${path} makes the state carried by continue-as-new (the definition, the input and vars) ${describeOverLimit(bytes + PAYLOAD_OVERHEAD_BYTES, PAYLOAD_LIMIT_BYTES)}; vars.${path} alone is ${formatBytes(jsonBytes(value))}: keep large data outside the flow and store a reference`,
      {
        payload: 'vars',
        bytes: bytes + PAYLOAD_OVERHEAD_BYTES,
        limit: PAYLOAD_LIMIT_BYTES,
        var: path,
      },
      step,
    );
  }

  /** Before continue-as-new: fails when the carry is over the limit, naming the largest vars. */
  checkCarry(state: CarriedState, step: string): void {
    const bytes = this.measure(state);
    if (bytes <= this.budget || !patched(PATCHES.payloadLimits)) return;
    const largest = Object.entries(state.vars)
      .map(([name, v]) => [name, jsonBytes(v)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([name, b]) => `vars.${name} (${formatBytes(b)})`);
    throw payloadTooLarge(
      `continue-as-new would carry ${describeOverLimit(bytes + PAYLOAD_OVERHEAD_BYTES, PAYLOAD_LIMIT_BYTES)}; largest: ${largest.join(', ')}`,
      { payload: 'vars', bytes: bytes + PAYLOAD_OVERHEAD_BYTES, limit: PAYLOAD_LIMIT_BYTES },
      step,
    );
  }
}

/**
 * The history limits, checked before each step. Between top-level steps and top-level loop
 * iterations a long run continues as new long before them; inside anything else (a loop in a
 * `try`, an `if` or a `parallel` branch) it cannot, and the server would terminate the run at
 * 51,200 events or 50 MB, skipping its compensations. The run fails with HistoryTooLarge a little
 * before (a 25th of the limit is kept for the compensations), naming the step it reached.
 * History length and size replay identically, so the check is deterministic; the patch is asked
 * only past the threshold.
 */
export class HistoryGuard {
  private readonly events: number;
  private readonly bytes: number;

  constructor(limits: RunLimits | undefined) {
    const events = limits?.historyEvents ?? HISTORY_EVENT_LIMIT;
    const bytes = limits?.historyBytes ?? HISTORY_SIZE_LIMIT_BYTES;
    this.events = events - Math.floor(events / 25);
    this.bytes = bytes - Math.floor(bytes / 25);
  }

  check(step: string): void {
    const info = workflowInfo();
    if (info.historyLength <= this.events && info.historySize <= this.bytes) return;
    if (!patched(PATCHES.historyLimit)) return;
    const events = info.historyLength;
    const message = `the run's history has ${events} events (${formatBytes(info.historySize)}), near the server's limit, which terminates the run: a loop or parallel that is not at the top level of a flow cannot continue as new; move it to the top level, or into a child flow`;
    throw new FlowFailure({
      type: ERROR_TYPES.historyTooLarge,
      message,
      details: { events, bytes: info.historySize },
      step,
    });
  }
}
