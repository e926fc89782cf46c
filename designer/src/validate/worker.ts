/**
 * The validator off the main thread: on a 1,000-step flow it takes longer than a frame many
 * times over, and typing, panning and painting should not wait for it.
 */
import type { ActivityManifest } from '../../../interpreter/model';
import { validateText } from './check';

export interface ValidateRequest {
  seq: number;
  text: string;
  manifest: ActivityManifest | undefined;
}

// The worker's global scope; the designer's types are the page's (DOM), whose postMessage differs.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ValidateRequest>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (e) => {
  const { seq, text, manifest } = e.data;
  const t0 = performance.now();
  const diagnostics = validateText(text, manifest);
  scope.postMessage({ seq, diagnostics, ms: performance.now() - t0 });
};
