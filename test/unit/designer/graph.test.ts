import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  defaultStepId,
  flowToGraph,
  type GraphNode,
  stepPointerFor,
} from '../../../designer/src/graph/graph';
import { walkFlowSteps } from '../../../interpreter/model';

const fixture = parse(
  readFileSync(new URL('./fixtures/commented.flow.yaml', import.meta.url), 'utf8'),
) as unknown;

/** A `${ … }` expression string, written without tripping the template-string lint. */
function expr(e: string): string {
  return `\${ ${e} }`;
}

function steps(nodes: GraphNode[]): GraphNode[] {
  return nodes.filter((n) => n.type === 'step');
}

describe('flowToGraph', () => {
  it('draws one step node per step, nested ones included, with ids and kinds', () => {
    const g = flowToGraph(fixture);
    expect(steps(g.nodes).map((n) => [n.pointer, n.stepId, n.kind])).toEqual([
      ['/steps/0', 'reserve', 'activity'],
      ['/steps/1', 'steps.1', 'if'],
      ['/steps/1/then/0', 'review', 'activity'],
      ['/steps/2', 'steps.2', 'parallel'],
      ['/steps/2/parallel/branches/email/0', 'steps.2.parallel.branches.email.0', 'activity'],
      ['/steps/2/parallel/branches/sms/0', 'steps.2.parallel.branches.sms.0', 'activity'],
      ['/steps/3', 'ship', 'activity'],
    ]);
  });

  it('chains the top level from Start to End, each edge an insertion point', () => {
    const g = flowToGraph(fixture);
    const top = g.edges.filter((e) => e.parent === undefined);
    expect(top.map((e) => [e.source, e.target, e.insert?.index])).toEqual([
      ['#start', '/steps/0', 0],
      ['/steps/0', '/steps/1', 1],
      ['/steps/1', '/steps/2', 2],
      ['/steps/2', '/steps/3', 3],
      ['/steps/3', '#end', 4],
    ]);
    expect(new Set(top.map((e) => e.insert?.list))).toEqual(new Set(['/steps']));
  });

  it('draws containers as groups with a fork, one branch per list and a join', () => {
    const g = flowToGraph(fixture);
    const inIf = g.nodes.filter((n) => n.parent === '/steps/1').map((n) => [n.type, n.id]);
    expect(inIf).toEqual([
      ['fork', '/steps/1#fork'],
      ['branch', '/steps/1/then'],
      ['branch', '/steps/1/else'],
      ['join', '/steps/1#join'],
    ]);
    // An empty branch is one edge from its in-anchor to its out-anchor: a drop target at 0.
    const elseEdges = g.edges.filter((e) => e.parent === '/steps/1/else');
    expect(elseEdges).toEqual([
      {
        id: '/steps/1/else#in->/steps/1/else#out',
        source: '/steps/1/else#in',
        target: '/steps/1/else#out',
        parent: '/steps/1/else',
        insert: { list: '/steps/1/else', index: 0 },
      },
    ]);
    const parallel = g.nodes.find((n) => n.id === '/steps/2');
    expect(parallel?.container).toBe(true);
    expect(
      g.nodes.filter((n) => n.type === 'branch' && n.parent === '/steps/2').map((n) => n.label),
    ).toEqual(['email', 'sms']);
  });

  it('every edge joins two nodes in the same group', () => {
    const g = flowToGraph(fixture);
    const parentOf = new Map(g.nodes.map((n) => [n.id, n.parent]));
    for (const e of g.edges) {
      expect(parentOf.get(e.source)).toBe(e.parent);
      expect(parentOf.get(e.target)).toBe(e.parent);
    }
    expect(new Set(g.nodes.map((n) => n.id)).size).toBe(g.nodes.length);
  });

  it('draws every kind, and the branches of switch, loops, try and wait', () => {
    const flow = {
      flow: 'kinds',
      steps: [
        { switch: expr('input.tier'), cases: { gold: [{ log: 'g' }] }, default: [{ log: 'd' }] },
        { forEach: expr('input.lines'), steps: [{ set: { a: 1 } }] },
        { while: expr('vars.n < 3'), steps: [{ sleep: '1s' }] },
        {
          try: [{ activity: 'a.b' }],
          catch: [{ errors: ['X'], steps: [{ fail: { error: 'Y' } }] }],
          finally: [{ log: 'f' }],
        },
        { wait: { signal: 'go', timeout: '1h', onTimeout: [{ return: 1 }] } },
        { flow: 'child' },
        { bogus: true },
      ],
      onCancel: [{ log: 'bye' }],
    };
    const g = flowToGraph(flow);
    const byPointer = new Map(g.nodes.map((n) => [n.id, n]));
    expect(byPointer.get('/steps/0/cases/gold/0')?.kind).toBe('log');
    expect(byPointer.get('/steps/0/default/0')?.kind).toBe('log');
    expect(byPointer.get('/steps/1/steps/0')?.kind).toBe('set');
    // Unnamed steps read as their kind and key argument, with no second line repeating it.
    expect(byPointer.get('/steps/2/steps/0')?.label).toBe('sleep 1s');
    expect(byPointer.get('/steps/2/steps/0')?.detail).toBeUndefined();
    expect(byPointer.get('/steps/1/steps/0')?.label).toBe('set a');
    expect(byPointer.get('/steps/3/catch/0/steps')?.label).toBe('catch X');
    expect(byPointer.get('/steps/3/finally/0')?.kind).toBe('log');
    expect(byPointer.get('/steps/4')?.label).toBe('wait go ≤ 1h');
    expect(byPointer.get('/steps/4')?.detail).toBeUndefined();
    expect(byPointer.get('/steps/4/wait/onTimeout/0')?.kind).toBe('return');
    expect(byPointer.get('/steps/5')?.label).toBe('flow child');
    // A try's regions are a sequence: fork, try, catch, finally, join.
    const tryEdges = g.edges
      .filter((e) => e.parent === '/steps/3')
      .map((e) => `${e.source} -> ${e.target}`);
    expect(tryEdges).toEqual([
      '/steps/3#fork -> /steps/3/try',
      '/steps/3/try -> /steps/3/catch/0/steps',
      '/steps/3/catch/0/steps -> /steps/3/finally',
      '/steps/3/finally -> /steps/3#join',
    ]);
    // A malformed step is still drawn (the validator reports it), without a kind.
    expect(byPointer.get('/steps/6')?.kind).toBeUndefined();
    expect(byPointer.get('/onCancel/0')?.kind).toBe('log');
    expect(steps(g.nodes)).toHaveLength(16);
  });

  it('finds the step a diagnostic points into', () => {
    const g = flowToGraph(fixture);
    expect(stepPointerFor(g, '/steps/1/then/0/activity')).toBe('/steps/1/then/0');
    expect(stepPointerFor(g, '/steps/2/parallel/branches/sms/0/input/x')).toBe(
      '/steps/2/parallel/branches/sms/0',
    );
    expect(stepPointerFor(g, '/flow')).toBeUndefined();
  });

  it('takes the step id function from the caller', () => {
    const g = flowToGraph(fixture, { stepId: (s, p) => `x${defaultStepId(s, p)}` });
    expect(g.pointers.get('xreserve')).toBe('/steps/0');
    expect(g.stepIds.get('/steps/1')).toBe('xsteps.1');
  });

  it('tolerates anything that is not a flow', () => {
    for (const v of [null, 3, 'x', [], { steps: 'no' }]) {
      const g = flowToGraph(v);
      expect(g.nodes.map((n) => n.id)).toEqual(['#start', '#end']);
    }
  });

  it('draws exactly the steps, ids and pointers that ids.ts walks, for every example flow', () => {
    const dir = new URL('../../../examples/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.flow.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const flow = parse(readFileSync(new URL(file, dir), 'utf8')) as unknown;
      const walked: [string, string][] = [];
      walkFlowSteps(flow, (v) => walked.push([v.pointer, v.id]));
      const drawn = steps(flowToGraph(flow).nodes).map((n) => [n.pointer, n.stepId]);
      expect(drawn.sort(), file).toEqual(walked.sort());
    }
  });

  it('draws signal and update handlers as lanes of their own', () => {
    const g = flowToGraph({
      flow: 'handlers',
      signals: { approve: { steps: [{ log: 'a' }] } },
      updates: { add: { steps: [{ set: { x: 1 } }] } },
      steps: [],
    });
    const lanes = g.nodes.filter((n) => n.type === 'branch' && n.parent === undefined);
    expect(lanes.map((n) => [n.id, n.label])).toEqual([
      ['/signals/approve/steps', 'signal approve'],
      ['/updates/add/steps', 'update add'],
    ]);
    expect(g.stepIds.get('/signals/approve/steps/0')).toBe('signals.approve.steps.0');
  });

  it('draws a child flow under `flows:` with absolute pointers and ids relative to its body', () => {
    const flow = {
      flow: 'parent',
      steps: [{ flow: 'child' }],
      flows: {
        child: { steps: [{ log: 'a' }, { id: 'named', if: expr('true'), then: [{ log: 'b' }] }] },
      },
    };
    const g = flowToGraph(flow, { body: 'child' });
    const walked: [string, string][] = [];
    walkFlowSteps(flow.flows.child, (v) => walked.push([v.pointer, v.id]), ['flows', 'child']);
    expect(steps(g.nodes).map((n) => [n.pointer, n.stepId])).toEqual(walked);
    expect(g.stepIds.get('/flows/child/steps/0')).toBe('steps.0');
    expect(g.edges.find((e) => e.target === '#end')?.insert).toEqual({
      list: '/flows/child/steps',
      index: 2,
    });
  });
});
