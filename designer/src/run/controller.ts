/** Starting runs and following them: the SSE stream paints the nodes, the progress query finishes. */
import { api } from '../api';
import { statusesFromProgress, useDesigner } from '../store';
import { save } from './files';

let closeStream: (() => void) | undefined;
let pollTimer: ReturnType<typeof setInterval> | undefined;

const POLL_MS = 1500;

/** Reads the run's progress query into the store (control and skipped steps, attempts). */
async function pollProgress(workflowId: string): Promise<void> {
  try {
    const run = await api.run(workflowId);
    const s = useDesigner.getState();
    if (s.run?.workflowId !== workflowId) return;
    s.setProgress(statusesFromProgress(run.progress?.steps ?? []));
  } catch {
    // The event stream still paints activities; the progress query is a bonus.
  }
}

function stopFollowing(): void {
  closeStream?.();
  closeStream = undefined;
  if (pollTimer !== undefined) clearInterval(pollTimer);
  pollTimer = undefined;
}

export function follow(workflowId: string, runId?: string): void {
  stopFollowing();
  useDesigner.getState().startRun(workflowId, runId);
  pollTimer = setInterval(() => void pollProgress(workflowId), POLL_MS);
  closeStream = api.events(
    workflowId,
    (e) => useDesigner.getState().addRunEvent(e),
    () => {
      if (pollTimer !== undefined) clearInterval(pollTimer);
      pollTimer = undefined;
      useDesigner.getState().endRunStream();
      void pollProgress(workflowId);
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

/** Cancels the open run; the stream then shows its onCancel steps and compensations. */
export async function cancelRun(): Promise<void> {
  const run = useDesigner.getState().run;
  if (!run) return;
  try {
    await api.cancelRun(run.workflowId);
    useDesigner.getState().setNotice({ kind: 'info', text: `Asked ${run.workflowId} to cancel` });
  } catch (err) {
    useDesigner
      .getState()
      .setNotice({ kind: 'error', text: `Cancel failed: ${(err as Error).message}` });
  }
}

/** Sends one of the flow's messages to the open run; resolves to the answer, or throws. */
export async function sendMessage(
  kind: 'signal' | 'update' | 'query',
  name: string,
  payload: unknown,
): Promise<unknown> {
  const run = useDesigner.getState().run;
  if (!run) throw new Error('No run is open.');
  return api.message(kind, run.workflowId, name, payload);
}
