/** Starting runs and following them: the SSE stream paints the nodes, the progress query finishes. */
import { api } from '../api';
import { useDesigner } from '../store';
import { save } from './files';

let closeStream: (() => void) | undefined;

/** After the stream ends, the progress query adds what history does not show (skipped steps). */
async function paintFinal(workflowId: string): Promise<void> {
  try {
    const run = await api.run(workflowId);
    const s = useDesigner.getState();
    for (const step of run.progress?.steps ?? []) {
      const known = s.statuses.get(step.stepId);
      if (known && known.status !== 'running') continue;
      const data: {
        stepId: string;
        status: string;
        attempt?: number;
        error?: { type?: string; message: string };
      } = {
        stepId: step.stepId,
        status: step.status,
      };
      if (step.attempts !== undefined) data.attempt = step.attempts;
      if (step.error) data.error = step.error;
      useDesigner.getState().addRunEvent({ event: 'step', data });
    }
  } catch {
    // The stream already painted what it saw; the final query is a bonus.
  }
}

export function follow(workflowId: string, runId?: string): void {
  closeStream?.();
  const s = useDesigner.getState();
  s.startRun(workflowId, runId);
  closeStream = api.events(
    workflowId,
    (e) => useDesigner.getState().addRunEvent(e),
    () => {
      useDesigner.getState().endRunStream();
      void paintFinal(workflowId);
    },
  );
}

export async function startRun(input: unknown): Promise<void> {
  const s = useDesigner.getState();
  try {
    if (s.source.path !== undefined && s.text !== s.savedText) await save();
    const st = useDesigner.getState();
    const body =
      st.source.path !== undefined
        ? { file: st.source.path, input }
        : { definition: st.text, input };
    const started = await api.startRun(body);
    follow(started.workflowId, started.runId);
    useDesigner.getState().setNotice({ kind: 'info', text: `Started ${started.workflowId}` });
  } catch (err) {
    useDesigner
      .getState()
      .setNotice({ kind: 'error', text: `Run failed to start: ${(err as Error).message}` });
  }
}
