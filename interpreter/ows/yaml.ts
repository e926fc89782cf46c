import { Document, visit, type Node as YamlNode } from 'yaml';
import type { OwsConversion } from './convert';

/**
 * The converted flow as YAML, each step that stands for an OWS task headed by a comment naming
 * the task's pointer and line in the source document, so a reader can go back and forth.
 */
export function flowToYaml(conversion: OwsConversion, source: string): string {
  const doc = new Document(conversion.flow);
  doc.commentBefore = ` Converted by \`weft import\` from ${source} (Serverless Workflow 1.0).\n The current data lives in vars.data, the workflow context in vars.context.`;
  // The first step that stands for a task (its own id, or a helper's `<id>:…`) gets the comment.
  const seen = new Set<string>();
  visit(doc, {
    Map(_key, node) {
      const id = node.get('id');
      if (typeof id !== 'string') return;
      const pointer = conversion.sources.get(id.split(':')[0] as string);
      if (!pointer || seen.has(pointer)) return;
      seen.add(pointer);
      const { line } = conversion.position(pointer);
      (node as YamlNode).commentBefore = ` ${pointer} (${source}:${line})`;
    },
  });
  return doc.toString({ lineWidth: 0 });
}
