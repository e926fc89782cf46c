import { type ParsedTemplate, splitTemplate } from '../../model/template';

export { hasExpression, type ParsedTemplate, type Segment } from '../../model/template';

const cache = new Map<string, ParsedTemplate>();
const CACHE_LIMIT = 10_000;

/** The model's splitter (model/template.ts), cached: flows resolve the same strings again and again. */
export function parseTemplate(source: string): ParsedTemplate {
  const hit = cache.get(source);
  if (hit) return hit;
  const parsed = splitTemplate(source);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, parsed);
  return parsed;
}
