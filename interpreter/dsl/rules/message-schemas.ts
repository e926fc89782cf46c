import { escapeSegment } from '../../model';
import { ENFORCED_KEYWORDS, unenforcedKeywords } from '../../model/message-schema';
import { isRecord, type Rule } from './context';

const HINTS: Record<string, string> = {
  format: 'write the shape as a `pattern` instead',
  $ref: 'write the referenced schema inline',
  $defs: 'write the referenced schema inline',
  definitions: 'write the referenced schema inline',
};

const ENFORCED = `the run enforces ${ENFORCED_KEYWORDS.join(', ')}`;

/**
 * A signal or update `input` schema may use only the keywords the run itself enforces
 * (model/message-schema.ts): any other would pass every payload inside the run while the client
 * refuses it, so it is refused here instead of being silently ignored. The flow's own `input`
 * is checked by ajv before the start and may use any keyword.
 */
export const messageSchemas: Rule = {
  name: 'message-schemas',
  check({ flows, report }) {
    for (const f of flows) {
      for (const key of ['signals', 'updates'] as const) {
        const handlers = f.body[key];
        if (!isRecord(handlers)) continue;
        for (const [name, h] of Object.entries(handlers)) {
          if (!isRecord(h) || !isRecord(h.input)) continue;
          const base = `${f.pointer}/${key}/${escapeSegment(name)}/input`;
          const what = key === 'signals' ? `signal '${name}'` : `update '${name}'`;
          for (const { pointer, keyword } of unenforcedKeywords(h.input, base)) {
            report(
              'WEFT063',
              `${pointer}/${escapeSegment(keyword)}`,
              `the payload schema of ${what} uses \`${keyword}\`, which the run cannot enforce`,
              { at: 'key', hint: HINTS[keyword] ?? ENFORCED },
            );
          }
        }
      }
    }
  },
};
