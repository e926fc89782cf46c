import { formatDiagnostic, hasErrors } from '../interpreter/dsl';
import { compileText as compileFlowText } from '../interpreter/dsl/node';
import type { CompiledFlow } from '../interpreter/model';

/**
 * The flows the bench runs, generated as DSL text, each the twin of a hand-written workflow in
 * ./workflows. Steps carry no name, input or result: the same calls the baseline makes.
 */

export function sequentialFlowText(steps: number): string {
  const lines = [`flow: bench-sequential-${steps}`, 'steps:'];
  for (let i = 0; i < steps; i++) lines.push(`  - id: s${i}`, '    activity: test.echo');
  return `${lines.join('\n')}\n`;
}

export function fanOutFlowText(concurrency: number): string {
  return [
    'flow: bench-fan-out',
    'steps:',
    '  - id: each',
    '    forEach: "${ input.items }"',
    '    as: item',
    `    concurrency: ${concurrency}`,
    '    result: results',
    '    steps:',
    '      - id: echo',
    '        activity: test.echo',
    '        input: "${ item }"',
    'output: "${ vars.results }"',
    '',
  ].join('\n');
}

export function blockedFlowText(): string {
  return [
    'flow: bench-blocked',
    'signals:',
    '  release: {}',
    'steps:',
    '  - id: hold',
    '    wait: { signal: release }',
    '',
  ].join('\n');
}

/**
 * A validation workload: a realistic mix (activities with inputs and options, guards, a branch,
 * a loop, sets) repeated until it has `steps` steps in all.
 */
export function largeFlowText(steps: number): string {
  const lines = [
    `flow: bench-large-${steps}`,
    'input: { type: object }',
    'vars: { count: 0 }',
    'defaults:',
    '  timeouts: { startToClose: 30s }',
    '  retry: { maximumAttempts: 3 }',
    'steps:',
  ];
  let made = 0;
  for (let i = 0; made < steps; i++) {
    const left = steps - made;
    if (i % 5 === 4 && left >= 3) {
      lines.push(
        `  - id: branch${i}`,
        '    if: "${ vars.count > 10 }"',
        '    then:',
        `      - id: yes${i}`,
        '        activity: test.echo',
        `        input: { n: ${i} }`,
        '    else:',
        `      - id: no${i}`,
        '        set: { count: "${ vars.count + 1 }" }',
      );
      made += 3;
    } else if (i % 5 === 2) {
      lines.push(`  - id: set${i}`, '    set: { count: "${ vars.count + 1 }" }');
      made += 1;
    } else {
      lines.push(
        `  - id: step${i}`,
        `    name: Step ${i}`,
        '    activity: test.echo',
        `    input: { orderId: "\${ input.orderId }", n: ${i}, label: "step \${ vars.count }" }`,
        `    result: r${i % 50}`,
        '    when: "${ vars.count >= 0 }"',
        '    timeouts: { startToClose: 10s }',
      );
      made += 1;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Compiles flow text with the DSL; the bench's flows must compile cleanly. */
export function compileText(text: string, file = 'bench.flow.yaml'): CompiledFlow {
  const { compiled, diagnostics } = compileFlowText(text, file);
  if (!compiled || hasErrors(diagnostics)) {
    throw new Error(
      `bench flow does not compile:\n${diagnostics.map((d) => formatDiagnostic(d)).join('\n')}`,
    );
  }
  return compiled;
}
