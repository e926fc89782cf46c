/**
 * The nesting-depth limit of a flow document. Everything after parsing (the schema check, the
 * rules, the compiler, the designer's graph) walks the document recursively, and so does the YAML
 * parser: without a limit, deep nesting ends in "Maximum call stack size exceeded" somewhere, at
 * a depth that depends on the stack. A flow nests steps a few levels deep (each level of steps is
 * two or three levels of the document), so the limit is far above any real flow and far below
 * any stack.
 */
export const MAX_NESTING_DEPTH = 200;

/**
 * The JSON pointer segments of the first value nested deeper than `max` collections (the root
 * collection is depth 1), or undefined. Recursion stops at `max + 1`, so it cannot overflow.
 */
export function tooDeepPath(value: unknown, max = MAX_NESTING_DEPTH): string[] | undefined {
  const path: string[] = [];
  const walk = (node: unknown, depth: number): boolean => {
    if (node === null || typeof node !== 'object') return false;
    if (depth > max) return true;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item = node[i];
        if (item === null || typeof item !== 'object') continue;
        path.push(String(i));
        if (walk(item, depth + 1)) return true;
        path.pop();
      }
      return false;
    }
    for (const key of Object.keys(node)) {
      const item = (node as Record<string, unknown>)[key];
      if (item === null || typeof item !== 'object') continue;
      path.push(key);
      if (walk(item, depth + 1)) return true;
      path.pop();
    }
    return false;
  };
  return walk(value, 1) ? path : undefined;
}

/**
 * Where in the text the nesting first passes `max`, for a document too deep to parse at all (the
 * parser ran out of stack). Counts flow brackets outside quotes and comments, plus block levels
 * from indentation and `- ` entries, so it is exact for JSON and flow style and close for block
 * style. Undefined when the count never passes `max`.
 */
export function tooDeepOffset(text: string, max = MAX_NESTING_DEPTH): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // At a line start: block levels from indentation (only outside flow collections).
    if (flow === 0) {
      let col = 0;
      while (i < n && text.charCodeAt(i) === 32) {
        i++;
        col++;
      }
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13 && c !== 35 && c !== 91 && c !== 123 && i < n) {
        while (indents.length > 0 && (indents[indents.length - 1] as number) >= col) indents.pop();
        indents.push(col);
        // `- - x`: each entry marker opens a sequence inside the previous one.
        while (text.charCodeAt(i) === 45 && text.charCodeAt(i + 1) === 32) {
          i += 2;
          col += 2;
          indents.push(col);
        }
        if (indents.length > max) return i;
      }
    }
    // The rest of the line: flow brackets, quotes and comments.
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        i++;
        break;
      }
      if (c === 91 || c === 123) {
        flow++;
        if (indents.length + flow > max) return i;
      } else if (c === 93 || c === 125) {
        if (flow > 0) flow--;
      } else if (c === 34 && opensQuote(text, i)) {
        for (i++; i < n && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
      } else if (c === 39 && opensQuote(text, i)) {
        for (i++; i < n && text.charCodeAt(i) !== 39; i++);
      } else if (c === 35 && (i === 0 || /\s/.test(text[i - 1] as string))) {
        while (i + 1 < n && text.charCodeAt(i + 1) !== 10) i++;
      }
    }
  }
  return undefined;
}

/** A quote opens a quoted scalar only where a value starts (`it's` is plain text). */
function opensQuote(text: string, at: number): boolean {
  if (at === 0) return true;
  const before = text[at - 1] as string;
  return /[\s[{,:]/.test(before);
}
