import type { FlowGraph, GraphNode } from '../../designer/src/graph/graph';
import type { Box } from '../../designer/src/layout/elk';
import { structuredLayout } from '../../designer/src/layout/structured';
import type { StepMark } from './mermaid';

/**
 * The designer's picture of a flow as a standalone SVG: the designer's graph, laid out by the
 * designer's own layout (designer/src/layout/structured.ts, the same boxes the canvas places), drawn
 * as plain shapes. No browser is needed; `png.ts` rasterises the result.
 */

export interface SvgOptions {
  marks?: ReadonlyMap<string, StepMark>;
}

const MARGIN = 16;
/** Average advance of the sans-serif fonts at the sizes below: text is cut to fit its box. */
const CHAR = { label: 7.4, detail: 6.4, small: 6.2 };
const COLORS: Record<StepMark | 'none', { fill: string; stroke: string }> = {
  none: { fill: '#ffffff', stroke: '#8c959f' },
  added: { fill: '#dafbe1', stroke: '#1a7f37' },
  changed: { fill: '#fff8c5', stroke: '#9a6700' },
  moved: { fill: '#ddf4ff', stroke: '#0969da' },
};

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function fitText(text: string, width: number, advance: number): string {
  const max = Math.max(1, Math.floor(width / advance));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const r = (n: number): string => String(Math.round(n * 10) / 10);

export interface SvgPicture {
  svg: string;
  width: number;
  height: number;
}

export function toSvg(graph: FlowGraph, options: SvgOptions = {}): SvgPicture {
  const layout = structuredLayout(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const abs = new Map<string, Box>();
  const place = (n: GraphNode): Box => {
    const known = abs.get(n.id);
    if (known) return known;
    const own = layout.get(n.id) ?? { x: 0, y: 0, width: 0, height: 0 };
    const parent = n.parent === undefined ? undefined : byId.get(n.parent);
    const origin = parent ? place(parent) : { x: MARGIN, y: MARGIN };
    const box = { x: origin.x + own.x, y: origin.y + own.y, width: own.width, height: own.height };
    abs.set(n.id, box);
    return box;
  };
  for (const n of graph.nodes) place(n);
  const boxes = [...abs.values()];
  const width = Math.max(0, ...boxes.map((b) => b.x + b.width)) + MARGIN;
  const height = Math.max(0, ...boxes.map((b) => b.y + b.height)) + MARGIN;
  const marks = options.marks ?? new Map<string, StepMark>();

  const shapes: string[] = [];
  const texts: string[] = [];
  const edges: string[] = [];
  for (const n of graph.nodes) {
    const b = abs.get(n.id)!;
    const color = COLORS[marks.get(n.id) ?? 'none'];
    const title = n.stepId === undefined ? '' : `<title>${escapeXml(n.stepId)}</title>`;
    if (n.type === 'branch') {
      shapes.push(
        `<rect x="${r(b.x)}" y="${r(b.y)}" width="${r(b.width)}" height="${r(b.height)}" rx="6" fill="none" stroke="#d0d7de" stroke-dasharray="4 3"/>`,
      );
      texts.push(
        `<text x="${r(b.x + 8)}" y="${r(b.y + 17)}" class="small">${escapeXml(fitText(n.label, b.width - 16, CHAR.small))}</text>`,
      );
    } else if (n.type === 'step' && n.container === true) {
      shapes.push(
        `<g>${title}<rect x="${r(b.x)}" y="${r(b.y)}" width="${r(b.width)}" height="${r(b.height)}" rx="8" fill="${marks.has(n.id) ? color.fill : '#f6f8fa'}" stroke="${color.stroke}"/></g>`,
      );
      texts.push(
        `<text x="${r(b.x + 12)}" y="${r(b.y + 25)}" class="label">${escapeXml(fitText(n.label, b.width - 24, CHAR.label))}</text>`,
      );
    } else if (n.type === 'step') {
      shapes.push(
        `<g>${title}<rect x="${r(b.x)}" y="${r(b.y)}" width="${r(b.width)}" height="${r(b.height)}" rx="8" fill="${color.fill}" stroke="${color.stroke}"/></g>`,
      );
      const label = escapeXml(fitText(n.label, b.width - 24, CHAR.label));
      if (n.detail === undefined) {
        texts.push(
          `<text x="${r(b.x + 12)}" y="${r(b.y + b.height / 2 + 5)}" class="label">${label}</text>`,
        );
      } else {
        texts.push(`<text x="${r(b.x + 12)}" y="${r(b.y + 27)}" class="label">${label}</text>`);
        texts.push(
          `<text x="${r(b.x + 12)}" y="${r(b.y + 47)}" class="detail">${escapeXml(fitText(n.detail, b.width - 24, CHAR.detail))}</text>`,
        );
      }
    } else if (n.type === 'terminal') {
      shapes.push(
        `<rect x="${r(b.x)}" y="${r(b.y)}" width="${r(b.width)}" height="${r(b.height)}" rx="${r(b.height / 2)}" fill="#eaeef2" stroke="#57606a"/>`,
      );
      texts.push(
        `<text x="${r(b.x + b.width / 2)}" y="${r(b.y + b.height / 2 + 5)}" class="label" text-anchor="middle">${escapeXml(n.label)}</text>`,
      );
    } else if (n.type === 'fork' || n.type === 'join') {
      shapes.push(
        `<circle cx="${r(b.x + b.width / 2)}" cy="${r(b.y + b.height / 2)}" r="${r(b.width / 2 - 4)}" fill="#57606a"/>`,
      );
    } else {
      shapes.push(
        `<circle cx="${r(b.x + b.width / 2)}" cy="${r(b.y + b.height / 2)}" r="2.5" fill="#8c959f"/>`,
      );
    }
  }
  for (const e of graph.edges) {
    const s = abs.get(e.source);
    const t = abs.get(e.target);
    if (!s || !t) continue;
    const sx = s.x + s.width / 2;
    const sy = s.y + s.height;
    const tx = t.x + t.width / 2;
    const ty = t.y;
    // Down, across just above the target's row, then down into it: the designer's step edges.
    const bend = Math.max(sy, ty - 14);
    const d =
      Math.abs(sx - tx) < 0.5
        ? `M${r(sx)} ${r(sy)}V${r(ty)}`
        : `M${r(sx)} ${r(sy)}V${r(bend)}H${r(tx)}V${r(ty)}`;
    edges.push(`<path d="${d}" marker-end="url(#arrow)"/>`);
  }
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${r(width)}" height="${r(height)}" viewBox="0 0 ${r(width)} ${r(height)}">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#8c959f"/></marker></defs>',
    '<style>text{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;fill:#1f2328}.label{font-size:13px;font-weight:600}.detail{font-size:11px;fill:#57606a;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}.small{font-size:11px;fill:#57606a}</style>',
    `<rect width="${r(width)}" height="${r(height)}" fill="#ffffff"/>`,
    ...shapes,
    `<g fill="none" stroke="#8c959f" stroke-width="1.5">${edges.join('')}</g>`,
    ...texts,
    '</svg>',
    '',
  ].join('\n');
  return { svg, width, height };
}
