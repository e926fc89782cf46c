import {
  BaseEdge,
  type Edge,
  EdgeLabelRenderer,
  type EdgeProps,
  getSmoothStepPath,
} from '@xyflow/react';
import { type DragEvent, memo } from 'react';
import { insertStep } from '../convert';
import type { InsertionPoint } from '../graph/graph';
import { useDesigner } from '../store';
import { DND_TYPE } from './templates';

export type InsertEdgeData = { insert?: InsertionPoint; label?: string };
export type WeftEdge = Edge<InsertEdgeData>;

function dropStep(point: InsertionPoint, e: DragEvent): void {
  const raw = e.dataTransfer.getData(DND_TYPE);
  if (!raw) return;
  e.preventDefault();
  const step = JSON.parse(raw) as unknown;
  useDesigner.getState().edit((doc) => insertStep(doc, point.list, point.index, step));
}

/** A sequence edge with an insertion point: a "+" button that is also a drop target. */
function InsertEdgeView(props: EdgeProps<WeftEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data } = props;
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
    borderRadius: 8,
  });
  const point = data?.insert;
  const active = useDesigner(
    (s) =>
      point !== undefined &&
      s.insertTarget?.list === point.list &&
      s.insertTarget.index === point.index,
  );
  return (
    <>
      <BaseEdge id={id} path={path} />
      <EdgeLabelRenderer>
        {point ? (
          <button
            type="button"
            className={`weft-insert nodrag nopan${active ? ' active' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-insert-list={point.list}
            data-insert-index={point.index}
            aria-label={`Insert a step at position ${point.index + 1} of ${point.list}`}
            aria-pressed={active}
            onClick={() => {
              const s = useDesigner.getState();
              s.setInsertTarget(active ? undefined : point);
              if (!active) document.getElementById('palette-search')?.focus();
            }}
            onDragOver={(e) => {
              if (e.dataTransfer.types.includes(DND_TYPE)) {
                e.preventDefault();
                e.dataTransfer.dropEffect = 'copy';
                e.currentTarget.classList.add('over');
              }
            }}
            onDragLeave={(e) => e.currentTarget.classList.remove('over')}
            onDrop={(e) => {
              e.currentTarget.classList.remove('over');
              dropStep(point, e);
            }}
          >
            +
          </button>
        ) : data?.label ? (
          <div
            className="weft-edge-label"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {data.label}
          </div>
        ) : null}
      </EdgeLabelRenderer>
    </>
  );
}

export const EDGE_TYPES = { insert: memo(InsertEdgeView) };
