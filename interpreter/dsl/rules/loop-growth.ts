import { escapeSegment, parsePointer, toPointer } from '../../model';
import type { Rule } from './context';
import { isRecord } from './context';

/** Expression parts that make a value larger than what they read: appends and concatenation. */
const GROWS = /\$append\s*\(|\$merge\s*\(|&/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A `set` inside a `while` that appends to the var it assigns (`items: ${ $append(vars.items, x) }`,
 * `log: ${ vars.log & line }`) grows vars every iteration. vars are carried by continue-as-new and
 * each copy counts against the server's 2 MB payload limit, so such a loop fails with
 * PayloadTooLarge once it has run long enough. A warning: the loop may well stop in time.
 */
export const loopGrowth: Rule = {
  name: 'loop-growth',
  check({ steps, report, lineOf }) {
    const loops = new Set<string>();
    for (const s of steps) if (s.kind === 'while') loops.add(s.pointer);
    if (loops.size === 0) return;
    for (const s of steps) {
      if (s.kind !== 'set' || !isRecord(s.value.set)) continue;
      const loop = enclosingLoop(s.pointer, loops);
      if (loop === undefined) continue;
      for (const [key, value] of Object.entries(s.value.set)) {
        if (typeof value !== 'string' || !GROWS.test(value)) continue;
        const self = new RegExp(`vars\\.${escapeRegExp(key)}(?![\\w.])`);
        if (!self.test(value)) continue;
        report(
          'WEFT041',
          `${s.pointer}/set/${escapeSegment(key)}`,
          `vars.${key} grows on every iteration of the while loop at line ${lineOf(loop)}: vars are carried by continue-as-new and limited to 2 MB, so a long loop fails with PayloadTooLarge`,
          {
            severity: 'warning',
            hint: 'keep only what the loop needs (a count, the last item), or store the data outside the flow and keep a reference',
          },
        );
      }
    }
  },
};

/** The pointer of the innermost `while` step that contains the step at `pointer`. */
function enclosingLoop(pointer: string, loops: Set<string>): string | undefined {
  const segments = parsePointer(pointer);
  for (let n = segments.length - 1; n > 0; n--) {
    const candidate = toPointer(segments.slice(0, n));
    if (loops.has(candidate)) return candidate;
  }
  return undefined;
}
