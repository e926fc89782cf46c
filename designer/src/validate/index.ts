import type { ActivityManifest } from '../../../interpreter/model';
import type { DesignerDiagnostic } from './check';
import type { ValidateRequest } from './worker';

export { isOwsText } from '../../../interpreter/ows/detect';
export type { DesignerDiagnostic } from './check';

/**
 * The validator and the OWS converter are most of the designer's code (ajv, JSONata, the rules,
 * the jq translator): the page loads them in their own chunk, after it has drawn the flow, and
 * the Web Worker has its own copy. The page needs them only without a worker, for an OWS
 * document, and for validate() on demand.
 */
type Checker = typeof import('./check');
let checker: Checker | undefined;
let loading: Promise<Checker> | undefined;

/** The checker module once loaded, else undefined (see loadChecker). */
export function loadedChecker(): Checker | undefined {
  return checker;
}

export function loadChecker(): Promise<Checker> {
  loading ??= import('./check').then(
    (m) => {
      checker = m;
      return m;
    },
    (err: unknown) => {
      // A chunk that did not arrive (a dropped connection, a server restarted with a new
      // build) is asked for again next time.
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

interface ValidateReply {
  seq: number;
  diagnostics: DesignerDiagnostic[];
  ms: number;
}

let worker: Worker | undefined;
let failed = false;
let seq = 0;
const waiting = new Map<number, (reply: ValidateReply | undefined) => void>();

function validator(): Worker | undefined {
  if (failed || typeof Worker === 'undefined') return undefined;
  if (worker) return worker;
  try {
    worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  } catch {
    failed = true;
    return undefined;
  }
  worker.onmessage = (e: MessageEvent<ValidateReply>) => {
    waiting.get(e.data.seq)?.(e.data);
    waiting.delete(e.data.seq);
  };
  worker.onerror = () => {
    // A worker that cannot start (a strict CSP, an old browser): validate on the page instead.
    failed = true;
    worker = undefined;
    for (const done of waiting.values()) done(undefined);
    waiting.clear();
  };
  return worker;
}

/** True when validation can run off the main thread (a browser with workers). */
export function validatesOffThread(): boolean {
  return !failed && typeof Worker !== 'undefined';
}

/**
 * Validates in a Web Worker when the browser has one (on the page otherwise, and in Node);
 * resolves with the diagnostics and how long the validator ran.
 */
export function validateOffThread(
  text: string,
  manifest: ActivityManifest | undefined,
): Promise<{ diagnostics: DesignerDiagnostic[]; ms: number }> {
  const onPage = () =>
    loadChecker().then(({ validateText }) => {
      const t0 = performance.now();
      const diagnostics = validateText(text, manifest);
      return { diagnostics, ms: performance.now() - t0 };
    });
  const w = validator();
  if (!w) return onPage();
  const id = ++seq;
  return new Promise((resolve) => {
    waiting.set(id, (reply) => (reply ? resolve(reply) : resolve(onPage())));
    const request: ValidateRequest = { seq: id, text, manifest };
    w.postMessage(request);
  });
}
