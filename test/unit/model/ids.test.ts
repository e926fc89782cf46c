import { describe, expect, it } from 'vitest';
import type { CompiledFlow, CompiledStep } from '../../../interpreter/model';
import {
  derivedStepId,
  parsePointer,
  stepIdOf,
  toPointer,
  walkCompiledSteps,
  walkFlowDocument,
} from '../../../interpreter/model';

describe('step ids and pointers', () => {
  it('escapes pointer segments as RFC 6901 says, and round-trips them', () => {
    const segments = ['cases', 'a/b', 'x~y', 0];
    const pointer = toPointer(segments);
    expect(pointer).toBe('/cases/a~1b/x~0y/0');
    expect(parsePointer(pointer)).toEqual(['cases', 'a/b', 'x~y', '0']);
    expect(parsePointer('')).toEqual([]);
  });

  it('derives ids from the pointer relative to the flow body, dotted', () => {
    expect(derivedStepId(['steps', 0, 'then', 1])).toBe('steps.0.then.1');
    expect(stepIdOf({ log: 'x' }, ['steps', 2])).toBe('steps.2');
    expect(stepIdOf({ id: 'mine', log: 'x' }, ['steps', 2])).toBe('mine');
    expect(stepIdOf({ id: '', log: 'x' }, ['steps', 2])).toBe('steps.2');
  });

  it('walks every step of every body in document order, children under flows: with their own ids', () => {
    const doc = {
      flow: 'f',
      signals: { go: { steps: [{ log: 's' }] } },
      updates: { up: { steps: [{ log: 'u' }] } },
      onCancel: [{ log: 'c' }],
      flows: { child: { steps: [{ log: 'child' }] } },
      steps: [
        { if: '${ true }', then: [{ log: 't' }], else: [{ log: 'e' }] },
        { switch: '${ 1 }', cases: { a: [{ log: 'a' }] }, default: [{ log: 'd' }] },
        { parallel: { branches: { x: [{ log: 'x' }] } } },
        { forEach: '${ [] }', steps: [{ log: 'fe' }] },
        { while: '${ false }', steps: [{ log: 'w' }] },
        { wait: { signal: 'go', onTimeout: [{ log: 'to' }] } },
        {
          try: [{ log: 'try' }],
          catch: [{ steps: [{ log: 'catch' }] }],
          finally: [{ log: 'fin' }],
        },
      ],
    };
    const seen: string[] = [];
    walkFlowDocument(doc, (v) => seen.push(`${v.flowKey}|${v.id}|${v.pointer}|${v.depth}`));
    expect(seen).toEqual([
      '|steps.0|/steps/0|0',
      '|steps.0.then.0|/steps/0/then/0|1',
      '|steps.0.else.0|/steps/0/else/0|1',
      '|steps.1|/steps/1|0',
      '|steps.1.cases.a.0|/steps/1/cases/a/0|1',
      '|steps.1.default.0|/steps/1/default/0|1',
      '|steps.2|/steps/2|0',
      '|steps.2.parallel.branches.x.0|/steps/2/parallel/branches/x/0|1',
      '|steps.3|/steps/3|0',
      '|steps.3.steps.0|/steps/3/steps/0|1',
      '|steps.4|/steps/4|0',
      '|steps.4.steps.0|/steps/4/steps/0|1',
      '|steps.5|/steps/5|0',
      '|steps.5.wait.onTimeout.0|/steps/5/wait/onTimeout/0|1',
      '|steps.6|/steps/6|0',
      '|steps.6.try.0|/steps/6/try/0|1',
      '|steps.6.catch.0.steps.0|/steps/6/catch/0/steps/0|1',
      '|steps.6.finally.0|/steps/6/finally/0|1',
      '|onCancel.0|/onCancel/0|0',
      '|signals.go.steps.0|/signals/go/steps/0|0',
      '|updates.up.steps.0|/updates/up/steps/0|0',
      'child|steps.0|/flows/child/steps/0|0',
    ]);
  });

  it('survives nesting far deeper than the call stack would allow', () => {
    let step: Record<string, unknown> = { log: 'bottom' };
    for (let i = 0; i < 3000; i++) step = { if: '${ true }', then: [step] };
    let count = 0;
    walkFlowDocument({ flow: 'deep', steps: [step] }, () => count++);
    expect(count).toBe(3001);
  });

  it('walks compiled steps, nested lists included', () => {
    const log = (id: string): CompiledStep => ({ id, kind: 'log', log: id });
    const flow: CompiledFlow = {
      weft: 1,
      flow: 'f',
      hash: 'sha256:x',
      vars: {},
      options: {},
      queries: {},
      signals: { s: { steps: [log('sig')] } },
      updates: {},
      onCancel: [log('cancel')],
      flows: {},
      steps: [
        { id: 'if', kind: 'if', if: '${ 1 }', then: [log('then')], else: [log('else')] },
        log('last'),
      ],
    };
    const ids: string[] = [];
    walkCompiledSteps(flow, (s) => ids.push(s.id));
    expect(ids).toEqual(['if', 'then', 'else', 'last', 'cancel', 'sig']);
  });
});
