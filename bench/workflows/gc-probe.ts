/**
 * A workflow interceptor for the memory bench only: the query `bench.gc` runs a full garbage
 * collection in the thread that runs the workflow. The bench can collect its own thread with
 * `gc()`, but workflows run in worker threads it cannot reach; without this, RSS there counts
 * whatever garbage V8 has not yet chosen to collect, which moves with GC timing rather than with
 * what cached flows hold. `gc` exists in the sandbox only when the process runs with --expose-gc.
 * Bundled into Temporal's sandbox: imports only @temporalio/workflow types.
 */
import type {
  Next,
  QueryInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
} from '@temporalio/workflow';

export const GC_QUERY = 'bench.gc';

class GcProbe implements WorkflowInboundCallsInterceptor {
  handleQuery(input: QueryInput, next: Next<WorkflowInboundCallsInterceptor, 'handleQuery'>) {
    if (input.queryName !== GC_QUERY) return next(input);
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('bench.gc: run the worker with --expose-gc');
    gc();
    return Promise.resolve(true);
  }
}

export const interceptors = (): WorkflowInterceptors => ({ inbound: [new GcProbe()] });
