/**
 * The parts of the page that loading a flow does not need, in chunks of their own: the YAML
 * editor (CodeMirror), the inspector's forms (with JSONata, to check expressions), the run and
 * schedule panels. On a big flow, evaluating them before the first paint cost as much as
 * drawing the graph (bench/FINDINGS.md, F8).
 */
import { lazy, type ReactNode, Suspense, useEffect, useState } from 'react';
import { firstPaint } from '../perf';

export const YamlPane = lazy(() => import('./YamlPane').then((m) => ({ default: m.YamlPane })));
export const Inspector = lazy(() => import('./Inspector').then((m) => ({ default: m.Inspector })));
export const RunPanel = lazy(() => import('./RunPanel').then((m) => ({ default: m.RunPanel })));
export const SchedulesPanel = lazy(() =>
  import('./SchedulesPanel').then((m) => ({ default: m.SchedulesPanel })),
);
export const RunDialog = lazy(() => import('./RunDialog').then((m) => ({ default: m.RunDialog })));

/** A page with no flow to draw (an error, an empty folder) still gets its panes. */
const PAINT_WAIT_MS = 3000;

/** True once the first graph is painted (or PAINT_WAIT_MS have passed). */
function useAfterFirstPaint(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    const done = () => {
      if (live) setReady(true);
    };
    void firstPaint.then(done);
    const timer = setTimeout(done, PAINT_WAIT_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, []);
  return ready;
}

/**
 * Renders `children` (lazy parts) once the first graph is painted; until they are there, an empty
 * box of the same role, so the layout does not jump.
 */
export function AfterFirstPaint({
  children,
  placeholder,
}: {
  children: ReactNode;
  placeholder: ReactNode;
}) {
  const ready = useAfterFirstPaint();
  return ready ? <Suspense fallback={placeholder}>{children}</Suspense> : placeholder;
}
