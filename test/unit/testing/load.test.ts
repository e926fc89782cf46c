import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../interpreter/dsl';
import {
  checkTestFile,
  jsonDiff,
  matchValue,
  parseTestText,
  readTestFile,
} from '../../../interpreter/testing';

const FLOW = `flow: greet
signals:
  poke: {}
steps:
  - id: hello
    activity: greet.hello
    result: greeting
`;

/** Writes greet.flow.yaml and greet.test.yaml into a fresh folder; returns the test file. */
function files(test: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'weft-test-load-'));
  writeFileSync(join(dir, 'greet.flow.yaml'), FLOW);
  writeFileSync(join(dir, 'greet.test.yaml'), test);
  return join(dir, 'greet.test.yaml');
}

function problems(test: string): string[] {
  const file = files(test);
  const parsed = readTestFile(file);
  const { diagnostics } = checkTestFile(parsed, { activities: [{ name: 'greet.hello' }] });
  return diagnostics.map((d) => formatDiagnostic(d).replace(file, 'greet.test.yaml'));
}

describe('test files', () => {
  it('load with their flow, which a mock by name makes valid without a plugin', () => {
    const file = files('cases:\n  - name: a\n    mocks:\n      greet.hello: { result: hi }\n');
    const { loaded, diagnostics } = checkTestFile(readTestFile(file), { activities: [] });
    expect(diagnostics).toEqual([]);
    expect(loaded?.flow.flow).toBe('greet');
    expect(loaded?.casePositions).toEqual([{ line: 2, col: 5 }]);
  });

  it('refuse what the schema does not allow, at its place', () => {
    expect(
      problems(
        'cases:\n  - name: a\n    expct: {}\n    mocks:\n      hello: { result: 1, error: { type: E } }\n',
      ),
    ).toEqual([
      'greet.test.yaml:3:5  error  WEFT091  cases/0: unknown key "expct"',
      'greet.test.yaml:5:14  error  WEFT091  cases/0/mocks/hello: a mock gives one of result, error or attempts, not two of them',
    ]);
  });

  it('refuse mocks and messages the flow does not have, bad expressions and twin names', () => {
    expect(
      problems(
        [
          'cases:',
          '  - name: a',
          '    mocks:',
          '      hello#3: { result: "${ input.( }" }',
          '      gret.hello: {}',
          '    events:',
          '      - { update: add }',
          '  - name: a',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'greet.test.yaml:4:26  error  WEFT094  expression does not compile: Expected ")" before end of expression',
      'greet.test.yaml:5:7  error  WEFT090  mock "gret.hello": flow greet has no activity step with this id and calls no activity of this name (it uses greet.hello, hello)',
      'greet.test.yaml:7:19  error  WEFT092  update "add": flow greet declares no such update (it has no updates)',
      'greet.test.yaml:8:11  error  WEFT095  case "a" is also case 1',
    ]);
  });

  it('refuse a regex that backtracks catastrophically: `weft mcp` runs them in its own process', () => {
    expect(
      problems(
        [
          'cases:',
          '  - name: a',
          '    mocks:',
          '      hello: { result: "${ $match(input.name, /(a|a)*$/) }" }',
          '    expect:',
          "      output: '${ $contains($, /^[a-z]+$/) and $contains($, /(\\w+\\s?)+!/) }'",
          '',
        ].join('\n'),
      ),
    ).toEqual([
      expect.stringMatching(
        /^greet\.test\.yaml:4:24 {2}error {2}WEFT100 {2}regex \/\(a\|a\)\*\$\/ has a quantified group whose alternatives overlap/,
      ),
      expect.stringMatching(
        /^greet\.test\.yaml:6:15 {2}error {2}WEFT100 {2}regex \/\(\\w\+\\s\?\)\+!\/ has a nested quantifier `\(\\w\+\\s\?\)\+`/,
      ),
    ]);
  });

  it('read from text as from the file it is said to be (as `weft mcp` gives them)', () => {
    const file = files('cases: []\n');
    const parsed = parseTestText('cases:\n  - name: a\n    mock: {}\n', file);
    expect(parsed.flowFile).toBe(file.replace('greet.test.yaml', 'greet.flow.yaml'));
    expect(
      parsed.diagnostics.map((d) => formatDiagnostic(d).replace(file, 'greet.test.yaml')),
    ).toEqual(['greet.test.yaml:3:5  error  WEFT091  cases/0: unknown key "mock"']);
    const good = parseTestText('cases:\n  - name: a\n', file);
    expect(checkTestFile(good, { activities: [{ name: 'greet.hello' }] }).loaded?.flow.flow).toBe(
      'greet',
    );
  });

  it('name the flow that cannot be read', () => {
    expect(problems('flow: nowhere.flow.yaml\ncases: [{ name: a }]\n')[0]).toMatch(
      /^greet\.test\.yaml:1:7 {2}error {2}WEFT093 {2}the flow under test .*nowhere\.flow\.yaml cannot be read$/,
    );
  });
});

describe('expectations', () => {
  it('compare JSON, with JSONata predicates in place of values', async () => {
    expect(await matchValue({ a: 1, b: '${ $ > 2 }' }, { a: 1, b: 3 }, 'output')).toEqual([]);
    expect(await matchValue({ a: 1, b: '${ $ > 2 }' }, { a: 2, b: 1, c: 0 }, 'output')).toEqual([
      'output.a: expected 1, got 2',
      'output.b: ${ $ > 2 } is false',
      'output.c: not expected, got 0',
    ]);
    expect(await matchValue({ a: 1 }, { a: 1, b: 2 }, 'vars', true)).toEqual([]);
  });

  it('show a line diff, expected first', () => {
    expect(jsonDiff({ a: 1, b: 2 }, { a: 1, b: 3 })).toEqual([
      '  {',
      '    "a": 1,',
      '-   "b": 2',
      '+   "b": 3',
      '  }',
    ]);
  });
});
