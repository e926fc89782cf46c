import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../../interpreter/review';
import { BIN, FIXTURES, weftEnv } from '../cli/weft';

/**
 * `weft mcp` driven by the MCP SDK's own client over stdio, as an assistant would drive it: read
 * the reference, write a flow with a mistake, read the positioned diagnostic, fix the line, run the
 * flow on the test server (the server's in-process worker runs the plugin's activity).
 */

let client: Client;
const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

type ToolText = { content: { type: string; text: string }[]; isError?: boolean };

async function call(name: string, args: Record<string, unknown> = {}) {
  const result = (await client.callTool({ name, arguments: args })) as ToolText;
  const text = result.content.map((c) => c.text).join('');
  // biome-ignore lint/suspicious/noExplicitAny: a tool's answer is read as the JSON document it is
  return { isError: result.isError === true, text, json: () => JSON.parse(text) as any };
}

beforeAll(async () => {
  client = new Client({ name: 'weft-test-assistant', version: '1.0.0' });
  const env = Object.fromEntries(
    Object.entries(weftEnv()).filter((e): e is [string, string] => e[1] !== undefined),
  );
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--plugins', 'shop.plugin.mjs'],
      cwd: FIXTURES,
      env,
      stderr: 'inherit',
    }),
  );
});
afterAll(async () => {
  await client?.close();
});

describe('weft mcp', () => {
  it('lists the tools an assistant needs', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'compile',
      'describe',
      'diff',
      'graph',
      'manifest',
      'result',
      'run',
      'schema',
      'start',
      'step_kinds',
      'test',
      'validate',
    ]);
  });

  it('answers the reference: schema part, step kinds, activity manifest', async () => {
    const activity = (await call('schema', { pointer: '/$defs/activityStep' })).json();
    expect(activity.description).toMatch(/activity/i);
    const kinds = (await call('step_kinds')).json() as {
      kind: string;
      nestedStepLists: string[];
    }[];
    expect(kinds.find((k) => k.kind === 'if')?.nestedStepLists).toEqual(['then', 'else']);
    const manifest = (await call('manifest')).json();
    expect(JSON.stringify(manifest)).toContain('shop.add');
  });

  it('an assistant writes a flow with a mistake, reads the diagnostic, fixes it and runs it', async () => {
    const draft = [
      'flow: mcp-sum',
      'steps:',
      '  - id: add',
      '    activity: shop.ad',
      '    input: { a: "${ input.a }", b: 2 }',
      '    result: sum',
      'output: "${ vars.sum }"',
      '',
    ].join('\n');
    const first = await call('validate', { text: draft, file: 'sum.flow.yaml' });
    expect(first.isError).toBe(true);
    const report = first.json() as {
      valid: boolean;
      lines: string[];
      diagnostics: { code: string; line: number; col: number; pointer: string; message: string }[];
    };
    expect(report.valid).toBe(false);
    expect(report.diagnostics).toMatchObject([
      { code: 'WEFT023', line: 4, col: 15, pointer: '/steps/0/activity' },
    ]);
    expect(report.lines[0]).toMatch(
      /^sum\.flow\.yaml:4:15 {2}error {2}WEFT023 {2}unknown activity "shop\.ad".*Did you mean "shop\.add"/,
    );

    // The assistant edits the line the diagnostic names, with the suggested name.
    const lines = draft.split('\n');
    const at = report.diagnostics[0]!;
    lines[at.line - 1] = lines[at.line - 1]!.replace('shop.ad', 'shop.add');
    const fixed = lines.join('\n');
    expect((await call('validate', { text: fixed, file: 'sum.flow.yaml' })).json()).toMatchObject({
      valid: true,
      diagnostics: [],
    });

    const graph = await call('graph', { text: fixed });
    expect(graph.text).toContain('flowchart TD');
    expect(graph.text).toContain('shop.add');

    const run = await call('run', { text: fixed, input: { a: 40 } });
    expect(run.isError).toBe(false);
    const outcome = run.json();
    expect(outcome).toMatchObject({ status: 'completed', output: 42 });

    const described = (await call('describe', { workflowId: outcome.workflowId })).json();
    expect(described.status).toBe('COMPLETED');
    expect((await call('result', { workflowId: outcome.workflowId })).json()).toEqual({
      status: 'completed',
      output: 42,
    });
  });

  it('start returns at once; result waits; a failed flow is an error result with its type', async () => {
    const started = (await call('start', { file: 'add.flow.yaml', input: { a: 1 } })).json();
    expect(started.workflowId).toEqual(expect.any(String));
    expect((await call('result', { workflowId: started.workflowId })).json()).toEqual({
      status: 'completed',
      output: 3,
    });
    const failed = await call('run', {
      text: 'flow: mcp-fail\nsteps:\n  - fail: { error: Rejected, message: no }\n',
    });
    expect(failed.isError).toBe(true);
    expect(failed.json()).toMatchObject({ status: 'failed', error: { type: 'Rejected' } });
  });

  it('a run still going after waitSeconds answers "running"; result waits for it later', async () => {
    // A durable 5 s sleep cannot end within the 0.2 s the call waits.
    const run = await call('run', {
      text: 'flow: mcp-sleepy\nsteps:\n  - sleep: 5s\n  - return: done\n',
      waitSeconds: 0.2,
    });
    expect(run.isError).toBe(false);
    const { workflowId, status } = run.json();
    expect(status).toBe('running');
    expect((await call('describe', { workflowId })).json().status).toBe('RUNNING');
    expect((await call('result', { workflowId })).json()).toEqual({
      status: 'completed',
      output: 'done',
    });
  });

  it.skipIf(!findChromium())('graph answers a PNG image when asked', async () => {
    const result = (await client.callTool({
      name: 'graph',
      arguments: { file: 'add.flow.yaml', format: 'png' },
    })) as { content: { type: string; data?: string; mimeType?: string }[] };
    expect(result.content[0]).toMatchObject({ type: 'image', mimeType: 'image/png' });
    expect(Buffer.from(result.content[0]!.data!, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('test runs a test file as `weft test` does: every case of the approval example passes', async () => {
    const r = await call('test', { file: `${EXAMPLES}approval.test.yaml` });
    expect(r.isError).toBe(false);
    const report = r.json();
    expect(report.passed).toBe(true);
    expect(report.cases).toHaveLength(5);
    expect(report.cases[0]).toMatchObject({
      name: 'small amounts are approved at once',
      passed: true,
      line: 6,
      differences: [],
    });
    expect(report.summary).toMatch(/^✓ 5 passed, 0 failed \(5 cases in 1 file\)/);
  });

  it('a wrong expectation fails its case with the difference at its line', async () => {
    // Given as text beside the flow it tests; shop.add comes from the server's own --plugins.
    const r = await call('test', {
      text: [
        'cases:',
        '  - name: adds two',
        '    input: { a: 40 }',
        '    expect: { output: 42 }',
        '  - name: a wrong sum',
        '    input: { a: 1 }',
        '    expect:',
        '      output: 4',
        '',
      ].join('\n'),
      flow: 'add.flow.yaml',
    });
    expect(r.isError).toBe(false);
    const report = r.json();
    expect(report.passed).toBe(false);
    expect(report.file).toBe('add.test.yaml');
    expect(report.cases.map((c: { passed: boolean }) => c.passed)).toEqual([true, false]);
    const lines = report.cases[1].differences.join('\n');
    expect(lines).toMatch(/add\.test\.yaml:8:\d+ {2}output/);
    expect(lines).toContain('- 4');
    expect(lines).toContain('+ 3');
    expect(report.summary).toMatch(/^✗ 1 passed, 1 failed \(2 cases in 1 file\)/);
  });

  it('a test file that mocks an activity its flow never calls is an error at the mock', async () => {
    const r = await call('test', { file: 'weft-test/unused-mock.test.yaml' });
    expect(r.isError).toBe(true);
    const report = r.json();
    expect(report.code).toBe('WEFT_MCP_INVALID_TEST');
    expect(report.diagnostics[0]).toMatchObject({ code: 'WEFT090', line: 6, col: 7 });
    expect(report.lines[0]).toMatch(
      /^weft-test\/unused-mock\.test\.yaml:6:7 {2}error {2}WEFT090 {2}mock "payment\.charge"/,
    );
  });

  it('bad arguments are tool errors with a code, not crashes', async () => {
    const none = await call('validate', {});
    expect(none.isError).toBe(true);
    expect(none.json().error.code).toBe('WEFT_MCP_NO_FLOW');
    const missing = await call('compile', { file: 'no-such.flow.yaml' });
    expect(missing.isError).toBe(true);
    expect(missing.json().code).toBe('WEFT_MCP_INVALID_FLOW');
    expect(missing.json().lines[0]).toMatch(/^no-such\.flow\.yaml:1:1 {2}error {2}WEFT050/);
  });
});
