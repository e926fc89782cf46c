/**
 * Test and bench hooks on `window.__weft`: when the graph was last laid out and drawn, how long
 * it took, and how many nodes it drew. `npm run bench` times load-and-layout and panning here.
 */
export interface WeftPerf {
  /** How many layouts finished since load. */
  layouts: number;
  /** ms from the start of the last layout to its first painted frame. */
  lastLayoutMs: number;
  nodes: number;
  /** performance.now() when the app started loading a flow. */
  loadStartedAt: number;
  /** ms from loading a flow's text to the first painted frame of its graph. */
  lastLoadMs: number;
}

declare global {
  interface Window {
    __weft?: WeftPerf & Record<string, unknown>;
  }
}

export function perf(): WeftPerf & Record<string, unknown> {
  window.__weft ??= { layouts: 0, lastLayoutMs: 0, nodes: 0, loadStartedAt: 0, lastLoadMs: 0 };
  return window.__weft;
}

export function markLoadStart(): void {
  perf().loadStartedAt = performance.now();
}

let painted: () => void = () => {};
/**
 * Resolves once the first graph is painted. What the page does not need to draw a flow (the
 * editor, the inspector, the run panels) loads after it, so it does not delay that paint.
 */
export const firstPaint: Promise<void> = new Promise((resolve) => {
  painted = resolve;
});

/**
 * Called when a layout is ready; records the time once the frame that shows it is painted.
 * `opened`: the layout is of an opened flow (the first such paint resolves firstPaint).
 */
export function markLaidOut(started: number, nodes: number, opened = true): void {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      if (opened) painted();
      const p = perf();
      const now = performance.now();
      p.lastLayoutMs = now - started;
      if (p.loadStartedAt > 0) {
        p.lastLoadMs = now - p.loadStartedAt;
        p.loadStartedAt = 0;
      }
      p.nodes = nodes;
      p.layouts += 1;
    }),
  );
}

/** Records how long one stage of the last load took (validateMs, graphMs, layoutMs). */
export function recordStage(name: string, ms: number): void {
  if (typeof window === 'undefined') return;
  perf()[name] = ms;
}
