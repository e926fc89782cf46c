import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  type ReactFlowInstance,
  useReactFlow,
} from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { FlowGraph } from '../graph/graph';
import { type Layout, layoutGraph } from '../layout';
import { markLaidOut, perf, recordStage } from '../perf';
import { childFlows, useDesigner } from '../store';
import { allowDrop, dropStep, MOVE_TYPE, onRefusal } from './drag';
import { EDGE_TYPES, type WeftEdge } from './edges';
import { NODE_TYPES, type WeftNode } from './nodes';
import { DND_TYPE } from './templates';

/**
 * Above this many nodes, only visible elements are rendered (and a newly opened flow shows its
 * beginning rather than all of it). Below it every step is in the DOM, which tests rely on.
 */
const BIG_GRAPH = 1000;

/**
 * The smallest zoom a flow opens at: canvas text is at least 12px (styles.css), so no label
 * renders below 11 CSS px. A flow that does not fit at this zoom opens at its start.
 */
export const READABLE_ZOOM = 11 / 12;
const FIT = { maxZoom: 1, minZoom: READABLE_ZOOM, padding: 0.05 };

/** Fits the flow into view when it fits at a readable zoom; else shows its start at that zoom. */
function openView(instance: ReactFlowInstance<WeftNode, WeftEdge>, nodes: WeftNode[]): void {
  const pane = document.querySelector('.weft-canvas .react-flow')?.getBoundingClientRect();
  const top = nodes.filter((n) => n.parentId === undefined);
  const start = top.find((n) => n.id === '#start');
  if (!pane || !start || top.length === 0) {
    void instance.fitView(FIT);
    return;
  }
  const bounds = instance.getNodesBounds(top);
  const margin = 24;
  const fits = Math.min(
    (pane.width - 2 * margin) / bounds.width,
    (pane.height - 2 * margin) / bounds.height,
  );
  if (fits >= READABLE_ZOOM) {
    void instance.fitView(FIT);
    return;
  }
  const zoom = READABLE_ZOOM;
  const centre = start.position.x + (start.width ?? 0) / 2;
  void instance.setViewport({
    x: pane.width / 2 - centre * zoom,
    y: margin - start.position.y * zoom,
    zoom,
  });
}

function toFlow(graph: FlowGraph, layout: Layout): { nodes: WeftNode[]; edges: WeftEdge[] } {
  const nodes: WeftNode[] = [];
  for (const g of graph.nodes) {
    const box = layout.get(g.id);
    if (!box) continue;
    const n: WeftNode = {
      id: g.id,
      type: g.type,
      position: { x: box.x, y: box.y },
      data: { g },
      width: box.width,
      height: box.height,
      style: { width: box.width, height: box.height },
      draggable: false,
      connectable: false,
      selectable: false,
      focusable: g.type === 'step',
      ariaLabel: g.type === 'step' ? `${g.kind ?? 'step'} ${g.label}` : undefined,
      zIndex: g.depth,
    };
    if (g.parent !== undefined) n.parentId = g.parent;
    nodes.push(n);
  }
  const edges: WeftEdge[] = graph.edges.map((e) => {
    const edge: WeftEdge = {
      id: e.id,
      source: e.source,
      target: e.target,
      type: 'insert',
      data: {},
      focusable: false,
    };
    if (e.insert) edge.data = { insert: e.insert };
    else if (e.target.endsWith('#join')) edge.data = { toJoin: true };
    return edge;
  });
  return { nodes, edges };
}

/** Follows the selection: keeps the selected node in view (problems panel, arrow keys). */
function FollowSelection({ layoutSeq }: { layoutSeq: number }) {
  const selected = useDesigner((s) => s.selected);
  const flow = useReactFlow();
  useEffect(() => {
    if (selected === undefined || layoutSeq === 0) return;
    const node = flow.getInternalNode(selected);
    if (!node) return;
    const { x, y } = node.internals.positionAbsolute;
    const w = node.measured.width ?? 0;
    const h = node.measured.height ?? 0;
    const view = flow.getViewport();
    const el = document.querySelector('.react-flow');
    const rect = el?.getBoundingClientRect();
    if (!rect) return;
    const sx = x * view.zoom + view.x;
    const sy = y * view.zoom + view.y;
    const inside =
      sx >= 0 && sy >= 0 && sx + w * view.zoom <= rect.width && sy + h * view.zoom <= rect.height;
    if (!inside) void flow.setCenter(x + w / 2, y + h / 2, { zoom: view.zoom, duration: 0 });
  }, [selected, flow, layoutSeq]);
  return null;
}

/** Shows a child flow (`flows:`) on the canvas instead of the main one. */
function BodyPicker() {
  const names = useDesigner(useShallow((s) => childFlows(s.value)));
  const body = useDesigner((s) => s.body);
  if (names.length === 0) return null;
  return (
    <select
      className="weft-body-picker"
      aria-label="Flow shown on the canvas"
      value={body ?? ''}
      onChange={(e) =>
        useDesigner.getState().setBody(e.target.value === '' ? undefined : e.target.value)
      }
    >
      <option value="">main flow</option>
      {names.map((n) => (
        <option key={n} value={n}>
          child flow: {n}
        </option>
      ))}
    </select>
  );
}

export function Canvas() {
  const graph = useDesigner((s) => s.graph);
  const stale = useDesigner((s) => s.stale);
  const dark = useDesigner((s) => s.dark);
  const select = useDesigner((s) => s.select);
  const [flow, setFlow] = useState<{
    nodes: WeftNode[];
    edges: WeftEdge[];
    seq: number;
    loadSeq: number;
  }>({ nodes: [], edges: [], seq: 0, loadSeq: -1 });
  const instance = useRef<ReactFlowInstance<WeftNode, WeftEdge> | null>(null);
  const fitted = useRef(-1);

  useEffect(() => {
    let cancelled = false;
    const started = performance.now();
    void layoutGraph(graph).then((layout) => {
      if (cancelled) return;
      recordStage('layoutMs', performance.now() - started);
      const next = toFlow(graph, layout);
      setFlow((prev) => ({ ...next, seq: prev.seq + 1, loadSeq: useDesigner.getState().loadSeq }));
      markLaidOut(started, next.nodes.length);
    });
    return () => {
      cancelled = true;
    };
  }, [graph]);

  // A newly opened flow is fitted into view once, or shown from its start when it does not fit
  // at a readable zoom (and above BIG_GRAPH React Flow then renders only what is visible).
  useEffect(() => {
    if (flow.seq === 0 || fitted.current === flow.loadSeq || !instance.current) return;
    fitted.current = flow.loadSeq;
    openView(instance.current, flow.nodes);
  }, [flow]);

  // While a step is dragged, every drop target is highlighted.
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    const start = (e: DragEvent) => {
      const types = e.dataTransfer?.types ?? [];
      if (types.includes(DND_TYPE) || types.includes(MOVE_TYPE)) setDragging(true);
    };
    const stop = () => setDragging(false);
    // dragstart bubbles (the data is set by then); the ends are caught on the way down, since
    // targets stop the drop and a moved step's element may be gone by dragend.
    window.addEventListener('dragstart', start);
    window.addEventListener('dragend', stop, true);
    window.addEventListener('drop', stop, true);
    return () => {
      window.removeEventListener('dragstart', start);
      window.removeEventListener('dragend', stop, true);
      window.removeEventListener('drop', stop, true);
    };
  }, []);

  // While a step hovers over a place inside itself, the canvas says why it cannot go there.
  const [refused, setRefused] = useState<string | undefined>();
  useEffect(() => onRefusal(setRefused), []);

  const big = flow.nodes.length > BIG_GRAPH;

  return (
    <section
      className={`weft-canvas${stale ? ' stale' : ''}`}
      aria-label="Flow canvas"
      data-stale={stale ? 'true' : undefined}
      data-layout-seq={flow.seq}
      data-node-count={flow.nodes.length}
      data-dragging={dragging ? 'true' : undefined}
      data-drop-refused={refused ? 'true' : undefined}
    >
      <BodyPicker />
      {stale && (
        <div className="weft-stale" role="status">
          The YAML does not parse: showing the last good graph.
        </div>
      )}
      {refused && (
        <div className="weft-stale weft-drop-refused" role="status">
          {refused}
        </div>
      )}
      <ReactFlow<WeftNode, WeftEdge>
        nodes={flow.nodes}
        edges={flow.edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        onInit={(i) => {
          instance.current = i;
          // Tests pan to what they click through it.
          perf().flow = i;
        }}
        onNodeClick={(e, node) => {
          if (node.type !== 'step') return;
          // Shift+click selects the run of steps from the selected one to this one.
          if (e.shiftKey && useDesigner.getState().selected !== undefined)
            useDesigner.getState().extendSelection(node.id);
          else select(node.id);
        }}
        onPaneClick={() => select(undefined)}
        // Anywhere else on the pane, a dragged step goes to the end of the flow.
        onDragOver={(e) => allowDrop(e, '')}
        onDrop={(e) => dropStep(e, undefined)}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        deleteKeyCode={null}
        selectionKeyCode={null}
        multiSelectionKeyCode={null}
        disableKeyboardA11y={false}
        onlyRenderVisibleElements={big}
        minZoom={0.05}
        maxZoom={2}
        colorMode={dark ? 'dark' : 'light'}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <MiniMap pannable zoomable ariaLabel="Minimap" />
        <Controls aria-label="Zoom controls" showInteractive={false} fitViewOptions={FIT} />
        <FollowSelection layoutSeq={flow.seq} />
      </ReactFlow>
    </section>
  );
}
