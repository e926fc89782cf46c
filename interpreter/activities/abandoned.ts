/**
 * Attempts whose plugin kept running after its signal was aborted (timeout, cancellation or
 * shutdown): the worker freed their slots and no longer waits for them. Counted per process, so
 * the health route can show the number; the metric `weft_activities_abandoned_total` carries
 * the same count per activity on the Prometheus endpoint.
 */
const byActivity = new Map<string, number>();
let total = 0;
const listeners = new Set<(activity: string) => void>();

export interface AbandonedCount {
  total: number;
  byActivity: Record<string, number>;
}

export function recordAbandoned(activity: string): void {
  total++;
  byActivity.set(activity, (byActivity.get(activity) ?? 0) + 1);
  for (const l of listeners) l(activity);
}

export function abandonedActivities(): AbandonedCount {
  return { total, byActivity: Object.fromEntries(byActivity) };
}

/** How often this process abandoned an attempt of `activity`. */
export function abandonedCount(activity: string): number {
  return byActivity.get(activity) ?? 0;
}

/** Calls `fn` on every abandonment (a supervised worker process reports them to its parent). */
export function onAbandoned(fn: (activity: string) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
