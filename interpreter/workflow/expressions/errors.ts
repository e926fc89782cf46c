import type { FlowError } from '../../model/wire';
import { ERROR_TYPES, FlowFailure } from '../errors';

interface JsonataError {
  code?: string;
  message?: string;
  position?: number;
}

/** An expression that failed to parse or evaluate: type ExpressionError, naming step and text. */
export function expressionFailure(step: string, expression: string, err: unknown): FlowFailure {
  if (err instanceof FlowFailure) return err;
  const e = (
    typeof err === 'object' && err !== null ? err : { message: String(err) }
  ) as JsonataError;
  const reason = e.message ?? String(err);
  const error: FlowError = {
    type: ERROR_TYPES.expression,
    message: `step '${step}': expression \${ ${expression} } failed: ${reason}`,
    details: {
      expression,
      ...(e.code !== undefined ? { code: e.code } : {}),
      ...(e.position !== undefined ? { position: e.position } : {}),
    },
    step,
  };
  return new FlowFailure(error);
}
