import {
  BaseEdge,
  type Edge,
  EdgeLabelRenderer,
  type EdgeProps,
  getSmoothStepPath,
} from '@xyflow/react';
import { memo, useState } from 'react';
import type { InsertionPoint } from '../graph/graph';
import { useDesigner } from '../store';
import { allowDrop, dropStep } from './drag';

export type InsertEdgeData = { insert?: InsertionPoint; label?: string; toJoin?: boolean };
export type WeftEdge = Edge<InsertEdgeData>;

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
    // Rows are 30 apart: the default offset (20 each end) would loop back beside the diamonds.
    offset: 10,
    // Into a join, turn just above it: halfway down, a short branch's edge would cross the
    // boxes of its longer neighbours.
    ...(data?.toJoin ? { centerY: targetY - 15 } : {}),
  });
  const point = data?.insert;
  // State, not a DOM class: a re-render while dragging would drop a class set by hand.
  const [over, setOver] = useState(false);
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
            className={`weft-insert nodrag nopan${active ? ' active' : ''}${over ? ' over' : ''}`}
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
              if (allowDrop(e, point.list)) setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={(e) => {
              setOver(false);
              dropStep(e, point);
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
