import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { memo, useState } from 'react';
import type { GraphNode } from '../graph/graph';
import { useBranchNotTaken } from '../run/branch';
import { inSelectedRun, useDesigner } from '../store';
import { allowDrop, dropStep, endMove, startMove } from './drag';
import { KindIcon } from './icons';

export type GraphNodeData = { g: GraphNode };
export type WeftNode = Node<GraphNodeData>;

function Handles() {
  return (
    <>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </>
  );
}

/** A step: its kind, label and summary, plus its problems and its run status. */
function StepNodeView({ id, data }: NodeProps<WeftNode>) {
  const g = data.g;
  const selected = useDesigner((s) => s.selected === id || inSelectedRun(s, id));
  const problems = useDesigner((s) => s.problems.get(id));
  const run = useDesigner((s) => (g.stepId === undefined ? undefined : s.statuses.get(g.stepId)));
  const kind = g.kind ?? 'unknown';
  const status = run?.status;
  const problem = problems?.[0] ?? run?.error;
  // Below a container's head sits its fork diamond: its problem goes in the head row instead,
  // without its code (in the title and the problems list), which a narrow row cannot spare.
  const problemText = problem && (
    <span className="weft-problem" title={problem}>
      {problem.replace(/^WEFT\d+: /, '')}
    </span>
  );
  const title = [
    `${kind}: ${g.label}`,
    g.detail,
    `id: ${g.stepId ?? id}`,
    ...(problems ?? []),
    run ? `status: ${run.status}${run.attempt > 1 ? ` (attempt ${run.attempt})` : ''}` : undefined,
    run?.branch ? `branch taken: ${run.branch}` : undefined,
    run?.error,
    run?.compensation ? `undo: ${run.compensation.status}` : undefined,
    run?.compensation?.error,
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <article
      // nopan: a press on a step starts a drag (a move), not a pan of the canvas.
      className={`weft-step nopan kind-${kind}${g.container ? ' container' : ''}${selected ? ' selected' : ''}`}
      draggable
      onDragStart={(e) => startMove(e, g.pointer)}
      onDragEnd={endMove}
      data-step-id={g.stepId}
      data-pointer={g.pointer}
      data-kind={kind}
      data-invalid={problems ? 'true' : undefined}
      data-status={status}
      data-compensation={run?.compensation?.status}
      data-branch-taken={run?.branch}
      data-attempt={run && run.attempt > 1 ? run.attempt : undefined}
      aria-label={`${kind} step ${g.label}${problems ? ', has problems' : ''}${status ? `, ${status}` : ''}${run?.compensation ? `, undo ${run.compensation.status}` : ''}`}
      title={title}
    >
      <Handles />
      <div className="weft-step-head">
        <KindIcon kind={g.kind} />
        <span className="weft-label">{g.label}</span>
        {g.container && problemText}
        {status && (
          <span className={`weft-badge status-${status}`}>
            {status}
            {status === 'retrying' && run ? ` #${run.attempt}` : ''}
            {run?.branch ? ` → ${run.branch}` : ''}
          </span>
        )}
        {run?.compensation && (
          <span
            className={`weft-badge weft-undo status-${run.compensation.status}`}
            title={`Compensation ${run.compensation.status}`}
          >
            ↶ undo {run.compensation.status}
          </span>
        )}
      </div>
      {g.detail && <div className="weft-detail">{g.detail}</div>}
      {!g.container && problems && <div className="weft-problem">{problems[0]}</div>}
      {!g.container && run?.error && <div className="weft-problem">{run.error}</div>}
    </article>
  );
}

/** A branch is a drop target too: a step dropped on it goes to the end of its list. */
function BranchNodeView({ id, data }: NodeProps<WeftNode>) {
  const notTaken = useBranchNotTaken(id);
  const [over, setOver] = useState(false);
  return (
    <section
      aria-label={`branch ${data.g.label}: drop a step here`}
      className={`weft-branch${over ? ' over' : ''}`}
      data-branch={data.g.pointer}
      data-not-taken={notTaken ? 'true' : undefined}
      onDragOver={(e) => {
        if (allowDrop(e, data.g.pointer)) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        const s = useDesigner.getState();
        const index = s.graph.nodes.filter((n) => n.parent === id && n.type === 'step').length;
        dropStep(e, { list: data.g.pointer, index });
      }}
    >
      <Handles />
      <span className="weft-branch-label">{data.g.label}</span>
    </section>
  );
}

function AnchorNodeView() {
  return (
    <div className="weft-anchor">
      <Handles />
    </div>
  );
}

function TerminalNodeView({ data }: NodeProps<WeftNode>) {
  return (
    <div className="weft-terminal">
      <Handles />
      {data.g.label}
    </div>
  );
}

function ForkNodeView({ data }: NodeProps<WeftNode>) {
  return (
    // The handles sit outside the rotated diamond, so edges meet its tips.
    <>
      <Handles />
      <div className={`weft-${data.g.type}`} title={data.g.type} />
    </>
  );
}

/** Module scope, as React Flow wants it: a new object each render would remount every node. */
export const NODE_TYPES = {
  step: memo(StepNodeView),
  branch: memo(BranchNodeView),
  anchor: memo(AnchorNodeView),
  terminal: memo(TerminalNodeView),
  fork: memo(ForkNodeView),
  join: memo(ForkNodeView),
};
