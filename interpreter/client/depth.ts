import { ClientError } from './errors';

/**
 * How deep JSON given to a flow (run input, signal, update and query payloads) may nest. Far
 * above any real document, far below the depth at which JSON.stringify, the payload converter or
 * a recursive walk in the sandbox overflows the stack (about 5,000 levels): a deeper value would
 * otherwise fail later with "Maximum call stack size exceeded" or "Unable to convert to payload".
 */
export const MAX_JSON_DEPTH = 100;

interface Node {
  value: unknown;
  depth: number;
  key?: string | number;
  parent?: Node;
}

function pointerOf(node: Node): string {
  const path: (string | number)[] = [];
  for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) path.unshift(n.key);
  const shown = path.length > 8 ? [...path.slice(0, 8), '…'] : path;
  return `/${shown.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

/**
 * Throws WEFT_INPUT_TOO_DEEP when `value` nests objects or arrays deeper than `limit` (an empty
 * object or array counts as one level). Iterative, so the check itself cannot overflow.
 */
export function checkJsonDepth(value: unknown, what: string, limit = MAX_JSON_DEPTH): void {
  // Parent links, not a path per node: wide documents stay linear in their size.
  const stack: Node[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value !== 'object' || item.value === null) continue;
    const depth = item.depth + 1;
    if (depth > limit) {
      throw new ClientError(
        'WEFT_INPUT_TOO_DEEP',
        `${what} nests objects and arrays deeper than ${limit} levels (at ${pointerOf(item)}); flatten it or pass a reference instead`,
        { limit, pointer: pointerOf(item) },
      );
    }
    const entries: [string | number, unknown][] = Array.isArray(item.value)
      ? item.value.map((v, i) => [i, v])
      : Object.entries(item.value);
    for (const [key, child] of entries) {
      if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, depth, key, parent: item });
      }
    }
  }
}
