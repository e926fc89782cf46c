import type { FlowGraph, GraphNode } from '../../designer/src/graph/graph';

/**
 * The designer's graph (designer/src/graph) as a Mermaid flowchart, so a pull request or a
 * Markdown page shows a flow with the designer's labels and branch order. A container step is a
 * subgraph titled with its label, holding its fork and join and one subgraph per branch; the
 * designer's anchors (the ends of each branch's chain, drop targets on the canvas) are left out,
 * so an arrow goes from the fork to a branch's first step and from its last step to the join.
 */

/** How a diff marks a step (by its graph node id, the step's pointer). */
export type StepMark = 'added' | 'changed' | 'moved';

export interface MermaidOptions {
  marks?: ReadonlyMap<string, StepMark>;
}

interface Edge {
  source: string;
  target: string;
  label?: string;
}

/**
 * Text inside a quoted Mermaid label. Mermaid reads `#name;` as an entity and, with HTML labels,
 * `<`/`>` as markup, so those characters go in as entities; quotes would end the label.
 */
export function mermaidText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;');
}

function isGroup(n: GraphNode): boolean {
  return n.type === 'branch' || (n.type === 'step' && n.container === true);
}

export function toMermaid(graph: FlowGraph, options: MermaidOptions = {}): string {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const children = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    const key = n.parent ?? '';
    const list = children.get(key);
    if (list) list.push(n);
    else children.set(key, [n]);
  }
  const names = new Map<string, string>();
  graph.nodes.forEach((n, i) => {
    names.set(n.id, `n${i}`);
  });
  /** A branch holds something worth a box: a step somewhere under it. */
  const isFilled = new Map<string, boolean>();
  const filled = (id: string): boolean => {
    let known = isFilled.get(id);
    if (known === undefined) {
      known = (children.get(id) ?? []).some(
        (c) => c.type === 'step' || (c.type === 'branch' && filled(c.id)),
      );
      isFilled.set(id, known);
    }
    return known;
  };

  // An edge that starts or ends on a group starts at its join (or branch end) and ends at its fork
  // (or branch start), so every arrow joins two drawn nodes.
  const entry = (n: GraphNode): string =>
    n.type === 'branch' ? `${n.id}#in` : isGroup(n) ? `${n.id}#fork` : n.id;
  const exit = (n: GraphNode): string =>
    n.type === 'branch' ? `${n.id}#out` : isGroup(n) ? `${n.id}#join` : n.id;
  let edges: Edge[] = graph.edges.map((e) => {
    const source = byId.get(e.source)!;
    const target = byId.get(e.target)!;
    const out: Edge = { source: exit(source), target: entry(target) };
    // A branch with steps shows its name as its box's title; an empty one only on its arrow.
    if (e.label !== undefined && !(target.type === 'branch' && filled(target.id))) {
      out.label = e.label;
    }
    return out;
  });
  // An anchor has at most one arrow out (to the branch's first step, its join, or the next
  // region of a try): an arrow into one follows that chain to the first drawn node, in place, so
  // arrows keep the graph's order. A chain that ends nowhere (the end of a handler lane) is dropped.
  const anchors = new Set(graph.nodes.filter((n) => n.type === 'anchor').map((n) => n.id));
  const next = new Map<string, Edge>();
  for (const e of edges) if (anchors.has(e.source)) next.set(e.source, e);
  edges = edges.flatMap((e): Edge[] => {
    if (anchors.has(e.source)) return [];
    let target = e.target;
    let label = e.label;
    while (anchors.has(target)) {
      const out = next.get(target);
      if (!out) return [];
      label ??= out.label;
      target = out.target;
    }
    return [
      label === undefined ? { source: e.source, target } : { source: e.source, target, label },
    ];
  });

  const lines = ['flowchart TD'];
  const dots: string[] = [];
  const emit = (parent: string, indent: string): void => {
    for (const n of children.get(parent) ?? []) {
      const id = names.get(n.id)!;
      if (n.type === 'anchor') continue;
      if (n.type === 'branch') {
        if (!filled(n.id)) continue;
        lines.push(`${indent}subgraph ${id}["${mermaidText(n.label)}"]`);
        emit(n.id, `${indent}  `);
        lines.push(`${indent}end`);
      } else if (n.type === 'step' && n.container === true) {
        lines.push(`${indent}subgraph ${id}["${mermaidText(n.label)}"]`);
        emit(n.id, `${indent}  `);
        lines.push(`${indent}end`);
      } else if (n.type === 'terminal') {
        lines.push(`${indent}${id}(["${mermaidText(n.label)}"])`);
      } else if (n.type === 'fork' || n.type === 'join') {
        lines.push(`${indent}${id}((" "))`);
        dots.push(id);
      } else {
        const text =
          n.detail === undefined
            ? mermaidText(n.label)
            : `${mermaidText(n.label)}<br/><small>${mermaidText(n.detail)}</small>`;
        lines.push(`${indent}${id}["${text}"]`);
      }
    }
  };
  emit('', '  ');
  for (const e of edges) {
    const s = names.get(e.source)!;
    const t = names.get(e.target)!;
    lines.push(
      e.label === undefined ? `  ${s} --> ${t}` : `  ${s} -->|"${mermaidText(e.label)}"| ${t}`,
    );
  }
  lines.push('  classDef dot fill:#57606a,stroke:#57606a,color:#57606a');
  if (dots.length > 0) lines.push(`  class ${dots.join(',')} dot`);
  const marks = options.marks ?? new Map<string, StepMark>();
  const styles: Record<StepMark, string> = {
    added: 'fill:#dafbe1,stroke:#1a7f37,stroke-width:2px',
    changed: 'fill:#fff8c5,stroke:#9a6700,stroke-width:2px',
    moved: 'fill:#ddf4ff,stroke:#0969da,stroke-width:2px',
  };
  for (const mark of ['added', 'changed', 'moved'] as const) {
    const ids = [...marks]
      .filter(([id, m]) => m === mark && names.has(id))
      .map(([id]) => names.get(id)!);
    if (ids.length === 0) continue;
    lines.push(`  classDef ${mark} ${styles[mark]}`);
    lines.push(`  class ${ids.join(',')} ${mark}`);
  }
  return `${lines.join('\n')}\n`;
}
