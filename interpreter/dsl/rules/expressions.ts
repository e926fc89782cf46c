import { escapeSegment } from '../../model';
import { describeRegexProblem } from '../../model/regex-safety';
import { checkExpression, FORBIDDEN_FUNCTIONS, scanTemplate } from '../expressions';
import { isRecord, type Rule } from './context';

/**
 * The mappings whose `input` and `description` are JSON Schemas or prose, not templates: flow
 * bodies and their signal and update handlers. Never scanned.
 */
function schemaHolders(ctx: Parameters<Rule['check']>[0]): Set<unknown> {
  const holders = new Set<unknown>();
  for (const f of ctx.flows) {
    holders.add(f.body);
    for (const key of ['signals', 'updates'] as const) {
      const handlers = f.body[key];
      if (!isRecord(handlers)) continue;
      for (const h of Object.values(handlers)) holders.add(h);
    }
  }
  return holders;
}

/**
 * Every `${ … }` in every string must compile as JSONata, may not call a forbidden function and
 * may not hold a regex literal that can backtrack catastrophically (model/regex-safety.ts).
 * The whole document is scanned once (templates may sit anywhere: inputs, set, log, output).
 */
export const expressions: Rule = {
  name: 'expressions',
  check(ctx) {
    const { report } = ctx;
    const holders = schemaHolders(ctx);
    // Pointers are only needed for problems, so entries keep their parent and key and the
    // pointer string is built on demand: most strings are fine.
    type Entry = { value: unknown; parent: Entry | undefined; key: string | number };
    const pointerOf = (e: Entry): string => {
      const parts: string[] = [];
      for (let cur: Entry | undefined = e; cur?.parent; cur = cur.parent) {
        parts.push(`/${escapeSegment(cur.key)}`);
      }
      return parts.reverse().join('');
    };
    const stack: Entry[] = [{ value: ctx.doc, parent: undefined, key: '' }];
    while (stack.length > 0) {
      const entry = stack.pop()!;
      const value = entry.value;
      if (typeof value === 'string') {
        if (!value.includes('${')) continue;
        const scan = scanTemplate(value);
        if (scan.unclosed !== undefined) {
          report(
            'WEFT030',
            pointerOf(entry),
            `unclosed "\${" at character ${scan.unclosed + 1}: add the closing "}"`,
          );
          continue;
        }
        for (const part of scan.expressions) {
          const problem = checkExpression(part.source);
          if (!problem) continue;
          const pointer = pointerOf(entry);
          if (problem.kind === 'forbidden') {
            report(
              'WEFT031',
              pointer,
              `$${problem.name}() may not be used in flows: it is not deterministic or evaluates code`,
              {
                hint: `forbidden: ${FORBIDDEN_FUNCTIONS.map((f) => `$${f}`).join(', ')}; use workflow.now for the time`,
              },
            );
          } else if (problem.kind === 'regex') {
            const { message, hint } = describeRegexProblem(problem.pattern, problem.problem);
            report('WEFT100', pointer, message, { hint });
          } else if (problem.kind === 'empty') {
            report(
              'WEFT030',
              pointer,
              `empty expression "\${ }": write a JSONata expression inside`,
            );
          } else {
            const where =
              problem.position !== undefined ? ` (at character ${problem.position})` : '';
            report(
              'WEFT030',
              pointer,
              `expression "${part.source}" does not compile: ${problem.message}${where}`,
            );
          }
          break;
        }
        continue;
      }
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) {
          stack.push({ value: value[i], parent: entry, key: i });
        }
      } else if (isRecord(value)) {
        const skipSchemas = holders.has(value);
        for (const k in value) {
          const v = value[k];
          if (typeof v !== 'string' && (typeof v !== 'object' || v === null)) continue;
          if (skipSchemas && (k === 'input' || k === 'description')) continue;
          stack.push({ value: v, parent: entry, key: k });
        }
      }
    }
  },
};
