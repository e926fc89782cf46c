/**
 * While a big flow is panned or zoomed far out (Canvas.tsx, `data-far`), its nodes leave the DOM
 * and one picture of them moves instead. Each frame of a pan ran the whole rendering pipeline
 * over every node wrapper (React Flow positions each with a transform of its own), 33 to 67 ms a
 * frame on a 1,000-step flow, whatever the nodes showed; without them a frame takes one vsync.
 * At that zoom the nodes are boxes without text, so the picture draws the same boxes, coloured
 * as the nodes are (selection, problems, run status).
 */
import { useStoreApi, ViewportPortal } from '@xyflow/react';
import { useLayoutEffect, useMemo, useRef } from 'react';
import { type DesignerState, inSelectedRun, useDesigner } from '../store';
import type { WeftNode } from './nodes';
import { absoluteBoxes, type OverviewBox } from './overview';

/** The picture's longest side in device pixels: canvases far beyond this fail to allocate. */
const MAX_SIDE = 4096;

type Colours = Record<
  'panel' | 'border' | 'group' | 'branch' | 'fg' | 'accent' | 'error' | 'ok' | 'run' | 'warn',
  string
>;

function coloursOf(el: Element): Colours {
  const cs = getComputedStyle(el);
  const v = (name: string) => cs.getPropertyValue(`--${name}`).trim() || '#888';
  return {
    panel: v('panel'),
    border: v('border'),
    group: v('group'),
    branch: v('branch'),
    fg: v('fg'),
    accent: v('accent'),
    error: v('error'),
    ok: v('ok'),
    run: v('run'),
    warn: v('warn'),
  };
}

/** Fill, stroke, stroke width and opacity of a box, as styles.css draws its node. */
function styleOf(
  b: OverviewBox,
  s: DesignerState,
  c: Colours,
): { fill: string; stroke: string; width: number; alpha: number } | undefined {
  const { g } = b.node.data;
  if (b.node.type === 'branch') return { fill: c.branch, stroke: c.border, width: 1, alpha: 1 };
  if (b.node.type === 'terminal') return { fill: c.fg, stroke: c.fg, width: 1, alpha: 1 };
  // Diamonds and anchors are hidden at this zoom (styles.css, `data-far`).
  if (b.node.type !== 'step') return undefined;
  const status = g.stepId === undefined ? undefined : s.statuses.get(g.stepId)?.status;
  const selected = s.selected === b.node.id || inSelectedRun(s, b.node.id);
  const stroke = selected
    ? c.accent
    : s.problems.has(b.node.id) || status === 'failed'
      ? c.error
      : status === 'running'
        ? c.run
        : status === 'retrying'
          ? c.warn
          : status === 'completed'
            ? c.ok
            : c.border;
  return {
    fill: g.container ? c.group : c.panel,
    stroke,
    width: selected || status === 'running' || status === 'retrying' ? 3 : 1,
    alpha: status === 'skipped' ? 0.55 : 1,
  };
}

export function PanSnapshot({ nodes, active }: { nodes: readonly WeftNode[]; active: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();
  const { boxes, bounds } = useMemo(() => absoluteBoxes(nodes), [nodes]);

  // Drawn when a pan starts, before its first frame, at the zoom it starts from.
  useLayoutEffect(() => {
    const el = canvas.current;
    if (!active || !el || !bounds) return;
    const zoom = store.getState().transform[2];
    const ratio = Math.min(
      zoom * (window.devicePixelRatio || 1),
      MAX_SIDE / Math.max(bounds.width, bounds.height),
    );
    el.width = Math.max(1, Math.round(bounds.width * ratio));
    el.height = Math.max(1, Math.round(bounds.height * ratio));
    const ctx = el.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, -bounds.x * ratio, -bounds.y * ratio);
    const colours = coloursOf(el);
    const state = useDesigner.getState();
    for (const b of boxes) {
      const style = styleOf(b, state, colours);
      if (!style) continue;
      ctx.globalAlpha = style.alpha;
      ctx.fillStyle = style.fill;
      ctx.fillRect(b.x, b.y, b.w, b.h);
      ctx.strokeStyle = style.stroke;
      // In flow pixels, as the DOM's borders are: faint at this zoom, as they are there.
      ctx.lineWidth = style.width;
      ctx.strokeRect(b.x, b.y, b.w, b.h);
    }
    ctx.globalAlpha = 1;
  }, [active, boxes, bounds, store]);

  if (!bounds) return null;
  return (
    <ViewportPortal>
      <canvas
        ref={canvas}
        className="weft-pan-snapshot"
        style={{
          left: bounds.x,
          top: bounds.y,
          width: bounds.width,
          height: bounds.height,
        }}
      />
    </ViewportPortal>
  );
}
