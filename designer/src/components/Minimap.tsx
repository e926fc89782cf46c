/**
 * The minimap: the whole flow drawn once into a canvas, and the visible part as a frame over it.
 *
 * React Flow's own MiniMap is an SVG with one rectangle per node whose view box is the union of
 * the nodes and the viewport: panning outside the flow changed the view box, so every frame
 * repainted all 2,138 rectangles of a 1,000-step flow, and its first render made as many React
 * components (bench/FINDINGS.md, F8). Here the drawing changes only when the layout does, and a
 * pan moves one small element.
 */
import { Panel, useReactFlow, useStore } from '@xyflow/react';
import { type PointerEvent, useEffect, useMemo, useRef } from 'react';
import type { WeftNode } from './nodes';
import { absoluteBoxes, type OverviewBox } from './overview';

const WIDTH = 200;
const HEIGHT = 150;
const PAD = 6;
const ZOOM_STEP = 1.2;

interface Overview {
  boxes: OverviewBox[];
  /** Flow coordinates -> minimap pixels: (v - origin) * scale + offset. */
  originX: number;
  originY: number;
  scale: number;
  offsetX: number;
  offsetY: number;
}

/** The nodes' absolute boxes and the scale that fits them into the minimap. */
export function overviewOf(nodes: readonly WeftNode[]): Overview {
  const { boxes, bounds } = absoluteBoxes(nodes);
  if (!bounds) return { boxes, originX: 0, originY: 0, scale: 1, offsetX: 0, offsetY: 0 };
  const scale = Math.min((WIDTH - 2 * PAD) / bounds.width, (HEIGHT - 2 * PAD) / bounds.height);
  return {
    boxes,
    originX: bounds.x,
    originY: bounds.y,
    scale,
    offsetX: (WIDTH - bounds.width * scale) / 2,
    offsetY: (HEIGHT - bounds.height * scale) / 2,
  };
}

function draw(canvas: HTMLCanvasElement, view: Overview, dark: boolean): void {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(WIDTH * ratio);
  canvas.height = Math.round(HEIGHT * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, WIDTH, HEIGHT);
  const at = (v: number, origin: number, offset: number) => (v - origin) * view.scale + offset;
  ctx.fillStyle = dark ? '#5b6475' : '#c3c8d2';
  ctx.strokeStyle = dark ? '#46505f' : '#d6d9e0';
  ctx.lineWidth = 1;
  for (const b of view.boxes) {
    const x = at(b.x, view.originX, view.offsetX);
    const y = at(b.y, view.originY, view.offsetY);
    // At least a pixel: a step of a 1,000-step flow is a fraction of one.
    const w = Math.max(b.w * view.scale, 1);
    const h = Math.max(b.h * view.scale, 1);
    if (b.outline) ctx.strokeRect(x + 0.5, y + 0.5, w, h);
    else ctx.fillRect(x, y, w, h);
  }
}

export function Minimap({ nodes, dark }: { nodes: readonly WeftNode[]; dark: boolean }) {
  const view = useMemo(() => overviewOf(nodes), [nodes]);
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const flow = useReactFlow();
  const [tx, ty, zoom] = useStore((s) => s.transform);
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  const minZoom = useStore((s) => s.minZoom);
  const maxZoom = useStore((s) => s.maxZoom);

  useEffect(() => {
    if (canvas.current) draw(canvas.current, view, dark);
  }, [view, dark]);

  // The visible part of the flow, in minimap pixels.
  const left = (-tx / zoom - view.originX) * view.scale + view.offsetX;
  const top = (-ty / zoom - view.originY) * view.scale + view.offsetY;
  const frameWidth = (paneWidth / zoom) * view.scale;
  const frameHeight = (paneHeight / zoom) * view.scale;

  /** Centres the canvas on the flow point under the pointer. */
  const moveTo = (e: PointerEvent<HTMLDivElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const fx = (e.clientX - rect.left - view.offsetX) / view.scale + view.originX;
    const fy = (e.clientY - rect.top - view.offsetY) / view.scale + view.originY;
    void flow.setViewport({ x: paneWidth / 2 - fx * zoom, y: paneHeight / 2 - fy * zoom, zoom });
  };

  // Wheel over the minimap zooms the canvas about its centre (a passive React listener could not
  // keep the page from scrolling).
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const { zoom: current } = flow.getViewport();
      const next = e.deltaY < 0 ? current * ZOOM_STEP : current / ZOOM_STEP;
      void flow.zoomTo(Math.min(maxZoom, Math.max(minZoom, next)));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [flow, minZoom, maxZoom]);

  return (
    <Panel position="bottom-right" className="weft-minimap">
      <div
        ref={box}
        className="weft-minimap-box"
        style={{ width: WIDTH, height: HEIGHT }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          moveTo(e);
        }}
        onPointerMove={(e) => {
          if (e.buttons === 1) moveTo(e);
        }}
      >
        <canvas
          ref={canvas}
          role="img"
          aria-label="Minimap: the whole flow, with the visible part framed"
          style={{ width: WIDTH, height: HEIGHT }}
        />
        <div
          className="weft-minimap-frame"
          style={{
            width: frameWidth,
            height: frameHeight,
            transform: `translate(${left}px, ${top}px)`,
          }}
        />
      </div>
    </Panel>
  );
}
