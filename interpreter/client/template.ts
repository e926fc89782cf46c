import { meteredJsonata } from '../model/regex-meter';
import { describeRegexProblem, unsafeRegexIn } from '../model/regex-safety';
import { resolveTemplateWithAsync } from '../model/template';
import { ClientError } from './errors';

async function evaluate(expr: string, root: Record<string, unknown>): Promise<unknown> {
  try {
    // Metered too: a regex that backtracks polynomially is refused before it scans.
    const compiled = meteredJsonata(expr);
    // This runs in the caller's process (the API server for POST /api/runs), where nothing could
    // interrupt a regex that backtracks catastrophically; validation refuses it (WEFT100), and a
    // compiled flow built by hand is refused here as the interpreter refuses it.
    const unsafe = unsafeRegexIn(compiled.ast());
    if (unsafe) throw new Error(describeRegexProblem(unsafe.pattern, unsafe.problem).message);
    return await compiled.evaluate(root);
  } catch (err) {
    throw new ClientError(
      'WEFT_EXPRESSION',
      `expression \${${expr}} failed: ${(err as Error).message}`,
    );
  }
}

/**
 * Resolves the few templates a client must evaluate before the start (workflow search
 * attributes and memo, which exist before the workflow runs): the workflow's rules
 * (model/template.ts, schema/README.md), with `input` at the root.
 */
export function resolveStartTemplate(
  value: unknown,
  root: Record<string, unknown>,
): Promise<unknown> {
  return resolveTemplateWithAsync(value, (expr) => evaluate(expr, root));
}
