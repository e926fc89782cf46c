import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { flowToGraph } from '../../../designer/src/graph/graph';
import { reviewFlowFile, reviewGraph, toMermaid, toSvg } from '../../../interpreter/review';

/**
 * `weft graph`: every example drawn as Mermaid, pinned by a golden file (UPDATE_GOLDEN=1
 * rewrites them), and each drawing checked against Mermaid's flowchart grammar for the
 * statements it uses and against the designer's graph it comes from.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GOLDEN = join(ROOT, 'test/fixtures/review/graphs');
const EXAMPLES = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.flow.yaml'))
  .map((f) => join(ROOT, 'examples', f));

function load(file: string) {
  const flow = reviewFlowFile(file);
  if (!flow.ok) throw new Error(`${file} is invalid`);
  return flow;
}

const ID = '[A-Za-z][A-Za-z0-9_]*';
const LABEL = '"[^"]*"';
const STATEMENTS = [
  /^flowchart TD$/,
  new RegExp(`^subgraph ${ID}\\[${LABEL}\\]$`),
  /^end$/,
  new RegExp(`^${ID}\\(\\[${LABEL}\\]\\)$`), // terminal (stadium)
  new RegExp(`^${ID}\\(\\(${LABEL}\\)\\)$`), // fork, join (circle)
  new RegExp(`^${ID}\\[${LABEL}\\]$`), // step
  new RegExp(`^${ID} -->(\\|${LABEL}\\|)? ${ID}$`), // edge
  new RegExp(`^classDef ${ID} [a-z-]+:[^ ]+$`),
  new RegExp(`^class ${ID}(,${ID})* ${ID}$`),
];

/** Each line one statement of the flowchart grammar; subgraphs balanced; edges between nodes. */
function checkMermaid(text: string): void {
  const lines = text.trimEnd().split('\n');
  let depth = 0;
  const declared = new Set<string>();
  for (const raw of lines) {
    const line = raw.trim();
    expect(
      STATEMENTS.some((re) => re.test(line)),
      `not a flowchart statement: ${line}`,
    ).toBe(true);
    if (line.startsWith('subgraph ')) depth++;
    else if (line === 'end') depth--;
    expect(depth).toBeGreaterThanOrEqual(0);
    const node = new RegExp(`^(${ID})[[(]`).exec(line);
    if (node && !line.startsWith('subgraph')) {
      expect(declared.has(node[1]!), `declared twice: ${node[1]}`).toBe(false);
      declared.add(node[1]!);
    }
  }
  expect(depth).toBe(0);
  for (const line of lines) {
    const edge = new RegExp(`^\\s*(${ID}) -->(?:\\|${LABEL}\\|)? (${ID})$`).exec(line);
    if (edge) {
      expect(declared.has(edge[1]!), line).toBe(true);
      expect(declared.has(edge[2]!), line).toBe(true);
    }
  }
}

describe('weft graph --format mermaid', () => {
  for (const file of EXAMPLES) {
    const name = basename(file, '.flow.yaml');
    it(`${name}: the golden drawing, valid flowchart syntax`, () => {
      const text = toMermaid(reviewGraph(load(file).value));
      checkMermaid(text);
      const golden = join(GOLDEN, `${name}.mmd`);
      if (process.env.UPDATE_GOLDEN) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    });
  }

  it("draws the designer's labels, one node per step, branches in source order", () => {
    const flow = load(join(ROOT, 'examples/order-fulfilment.flow.yaml'));
    const graph = flowToGraph(flow.value);
    const text = toMermaid(graph);
    for (const step of graph.nodes.filter((n) => n.type === 'step' && !n.container)) {
      expect(text).toContain(
        `["${step.label.replace(/"/g, '#quot;').replace(/#(?!quot;)/g, '#35;')}`,
      );
    }
    expect(text.indexOf('["email"]')).toBeLessThan(text.indexOf('["log"]'));
  });

  it('escapes what Mermaid would read as markup, entities or the end of a label', () => {
    const flow = {
      flow: 'x',
      steps: [{ name: 'a "quoted" <b>name</b> #1 `tick`', log: 'hi' }],
    };
    const text = toMermaid(reviewGraph(flow));
    expect(text).toContain(
      '["a #quot;quoted#quot; #lt;b#gt;name#lt;/b#gt; #35;1 #96;tick#96;<br/>',
    );
    checkMermaid(text.replace(/<br\/><small>[^"]*<\/small>/g, ''));
  });

  it('an empty branch is an arrow with its name; a child flow is drawn with --flow', () => {
    const flow = {
      flow: 'x',
      steps: [{ if: '${ true }', then: [{ log: 'yes' }] }],
      flows: { child: { steps: [{ log: 'in the child' }] } },
    };
    expect(toMermaid(reviewGraph(flow))).toContain('-->|"else"|');
    expect(toMermaid(reviewGraph(flow, 'child'))).toContain('log in the child');
    expect(() => reviewGraph(flow, 'nope')).toThrow(
      /no child flow "nope" under flows: \(it has child\)/,
    );
  });
});

describe('weft graph --format svg', () => {
  it("places every node where the designer's layout puts it, with its label", () => {
    const flow = load(join(ROOT, 'examples/approval.flow.yaml'));
    const picture = toSvg(reviewGraph(flow.value));
    expect(picture.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(picture.width).toBeGreaterThan(200);
    expect(picture.height).toBeGreaterThan(400);
    expect(picture.svg).toContain('>Ask the manager<');
    expect(picture.svg).toContain('>approval.request<');
    expect(picture.svg).toContain('<title>ask</title>');
  });
});
