import type { FlowProgress, StepProgress } from '../model/progress';
import type { WorkflowTaskProblem } from './workflow-task';

const MARK: Record<StepProgress['status'], string> = {
  pending: '·',
  running: '▶',
  retrying: '↻',
  completed: '✓',
  failed: '✗',
  skipped: '–',
  cancelled: '⊘',
  timedOut: '⌛',
};

/** Heartbeat details in a few words: the scalar fields (`received=3 of=10`), or the value. */
export function formatHeartbeat(details: unknown, max = 60): string {
  let text: string;
  if (details !== null && typeof details === 'object' && !Array.isArray(details)) {
    const scalars = Object.entries(details).filter(
      ([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean',
    );
    text =
      scalars.length > 0
        ? scalars.map(([k, v]) => `${k}=${String(v)}`).join(' ')
        : JSON.stringify(details);
  } else {
    text = typeof details === 'string' ? details : (JSON.stringify(details) ?? '');
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function elapsed(step: StepProgress): string {
  if (!step.startedAt || !step.endedAt) return '';
  const ms = Date.parse(step.endedAt) - Date.parse(step.startedAt);
  if (!Number.isFinite(ms) || ms < 0) return '';
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/**
 * One line per step, in words people scan: `running`, `retry 2`, `heartbeat …`, `done`,
 * `failed Type: message`. Shared by `weft run` and anything else that prints progress as text.
 */
export function formatStep(step: StepProgress): string {
  const label = step.name && step.name !== step.stepId ? `${step.id} (${step.name})` : step.id;
  const parts = [`${MARK[step.status]} ${label}`];
  switch (step.status) {
    case 'running':
      parts.push(
        step.attempts && step.attempts > 1 ? `running, attempt ${step.attempts}` : 'running',
      );
      break;
    case 'retrying':
      parts.push(`retry ${(step.attempts ?? 2) - 1}`);
      if (step.error) parts.push(`(last: ${step.error.type}: ${step.error.message})`);
      break;
    case 'completed': {
      const t = elapsed(step);
      parts.push(t ? `done ${t}` : 'done');
      if (step.attempts && step.attempts > 1) parts.push(`after ${step.attempts} attempts`);
      break;
    }
    case 'failed':
      parts.push('failed');
      if (step.error) parts.push(`${step.error.type}: ${step.error.message}`);
      break;
    default:
      parts.push(step.status);
  }
  if (step.heartbeat !== undefined && (step.status === 'running' || step.status === 'retrying')) {
    parts.push(`heartbeat ${formatHeartbeat(step.heartbeat)}`);
  }
  return parts.join('  ');
}

/** Every step line of a snapshot, in start order. */
export function formatProgress(progress: FlowProgress): string[] {
  return progress.steps.map(formatStep);
}

/** A stuck run in one line: `stuck: the workflow task failed 3 times: <message>`. */
export function formatWorkflowTaskProblem(problem: WorkflowTaskProblem): string {
  const times = problem.failures === 1 ? 'once' : `${problem.failures} times`;
  const what = problem.kind === 'timedOut' ? 'timed out' : 'failed';
  return `stuck: the workflow task ${what} ${times}: ${problem.message}`;
}
