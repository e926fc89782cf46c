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

const WIDTH = 200;
const HEIGHT = 150;
const PAD = 6;
const ZOOM_STEP = 1.2;

interface Overview {
  /** Absolute boxes: containers and branches are outlined, the rest filled. */
  boxes: { x: number; y: number; w: number; h: number; outline: boolean }[];
  /** Flow coordinates -> minimap pixels: (v - origin) * scale + offset. */
  originX: number;
  originY: number;
  scale: number;
  offsetX: number;
  offsetY: number;
}

/** The nodes' absolute boxes and the scale that fits them into the minimap. */
export function overviewOf(nodes: readonly WeftNode[]): Overview {
  const absolute = new Map<string, { x: number; y: number }>();
  const boxes: Overview['boxes'] = [];
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  // Parents come before their children (React Flow requires it), so one pass places them all.
  for (const n of nodes) {
    const parent = n.parentId === undefined ? undefined : absolute.get(n.parentId);
    const x = n.position.x + (parent?.x ?? 0);
    const y = n.position.y + (parent?.y ?? 0);
    absolute.set(n.id, { x, y });
    const w = n.width ?? 0;
    const h = n.height ?? 0;
    if (w === 0 || h === 0) continue;
    boxes.push({ x, y, w, h, outline: n.type === 'branch' || n.data.g.container === true });
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + w);
    maxY = Math.max(maxY, y + h);
  }
  if (boxes.length === 0)
    return { boxes, originX: 0, originY: 0, scale: 1, offsetX: 0, offsetY: 0 };
  const width = Math.max(maxX - minX, 1);
  const height = Math.max(maxY - minY, 1);
  const scale = Math.min((WIDTH - 2 * PAD) / width, (HEIGHT - 2 * PAD) / height);
  return {
    boxes,
    originX: minX,
    originY: minY,
    scale,
    offsetX: (WIDTH - width * scale) / 2,
    offsetY: (HEIGHT - height * scale) / 2,
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
