import jsonata from 'jsonata';
import { resolveTemplateWithAsync } from '../model/template';
import { ClientError } from './errors';

async function evaluate(expr: string, root: Record<string, unknown>): Promise<unknown> {
  try {
    return await jsonata(expr).evaluate(root);
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
