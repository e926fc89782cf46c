/**
 * "Never lose work": the designer's history, drafts, saving and new flows, driven in headless
 * Chromium with keys and clicks against `weft serve`, the way a user works.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testServer } from '../helpers';
import { chromiumAvailable } from './browser';
import { designerText, editorText, openFlow, stepIds } from './designer-app';
import { startDesigner } from './designer-session';
import type { ServeHandle } from './serve';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Stacks {
  past: number;
  future: number;
}

async function stacks(page: Page): Promise<Stacks> {
  return page.evaluate(() => {
    const store = (
      window as unknown as {
        __weft: {
          store: { getState(): { history: { past: unknown[]; future: unknown[] } } };
        };
      }
    ).__weft.store;
    const h = store.getState().history;
    return { past: h.past.length, future: h.future.length };
  });
}

/** Drops a palette item on the "+" of `list` at `index`. */
async function dropOn(page: Page, item: string, list: string, index: number): Promise<void> {
  await page.dragAndDrop(
    `[data-palette-item="${item}"]`,
    `[data-insert-list="${list}"][data-insert-index="${index}"]`,
  );
}

/** The element that has focus is inside the open dialog. */
async function focusInDialog(page: Page): Promise<boolean> {
  return page.evaluate(() => document.activeElement?.closest('dialog[open]') != null);
}

describe.skipIf(!chromiumAvailable())('the designer never loses work', () => {
  let serve: ServeHandle;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ serve, browser } = await startDesigner({
      fixtures: FIXTURES,
      plugins: [join(FIXTURES, 'plugin.mjs')],
    }));
  });

  beforeEach(async () => {
    // A fresh context per test: its own localStorage, so drafts never leak between tests.
    await page?.context().close();
    const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  /** A copy of the order fixture under a name of its own, so each test has its own file. */
  function copyOfOrder(name: string): string {
    const file = join(serve.flowsDir, name);
    copyFileSync(join(serve.flowsDir, 'order.flow.yaml'), file);
    return file;
  }

  afterAll(async () => {
    expect(pageErrors).toEqual([]);
    await browser?.close();
    await serve?.stop();
  });

  it('Ctrl+Shift+Z in the YAML pane redoes what Ctrl+Z undid, like everywhere else', async () => {
    await openFlow(page, serve.url, 'order.flow.yaml');
    const original = await designerText(page);
    await dropOn(page, 'activity:orders.notify', '/steps', 1);
    await page.waitForSelector('[data-step-id="steps.1"]');
    await dropOn(page, 'activity:orders.notify', '/steps', 2);
    await page.waitForSelector('[data-step-id="steps.2"]');
    const twoEdits = await designerText(page);
    expect(await stacks(page)).toEqual({ past: 2, future: 0 });

    await page.locator('.weft-yaml .cm-line', { hasText: 'E2E-TAIL' }).click();
    await page.keyboard.press('Control+z');
    await expect.poll(() => stacks(page)).toEqual({ past: 1, future: 1 });
    // A lower-case z with Shift is what Caps Lock or a synthetic key sends: still redo.
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => stacks(page)).toEqual({ past: 2, future: 0 });
    expect(await designerText(page)).toBe(twoEdits);
    await expect.poll(() => editorText(page)).toBe(twoEdits);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => stacks(page)).toEqual({ past: 2, future: 0 });

    // The same keys on the canvas and in the inspector do the same.
    await page.click('.weft-canvas .react-flow__pane', { position: { x: 8, y: 8 } });
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => designerText(page)).toBe(original);
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => stacks(page)).toEqual({ past: 1, future: 1 });
    await page.click('[data-step-id="check"]');
    await page.locator('.weft-inspector input[name="timeouts.startToClose"]').focus();
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => designerText(page)).toBe(twoEdits);
    await page.keyboard.press('Control+z');
    await expect.poll(() => stacks(page)).toEqual({ past: 1, future: 1 });
  });

  it('after undoing an insert the inspector shows the step selected before it, and redo brings the insert back', async () => {
    await openFlow(page, serve.url, 'order.flow.yaml');
    await page.click('[data-step-id="check"]');
    await dropOn(page, 'activity:orders.notify', '/steps', 2);
    await page.waitForSelector('.weft-step.selected[data-step-id="steps.2"]');
    await page.click('.weft-canvas .react-flow__pane', { position: { x: 8, y: 8 } });
    await page.click('button[aria-label="Undo"]');
    await expect.poll(() => stepIds(page)).toEqual(['check', 'ship']);
    expect(await page.textContent('.weft-inspector')).not.toContain('has no kind yet');
    await page.waitForSelector('.weft-inspector[data-inspecting="check"]');
    await page.keyboard.press('Control+Shift+Z');
    await page.waitForSelector('.weft-inspector[data-inspecting="steps.2"]');
    await page.waitForSelector('.weft-step.selected[data-step-id="steps.2"]');
  });

  it('keeps unsaved edits as a draft across a reload and offers them back; the file waits for Save', async () => {
    const file = copyOfOrder('draft.flow.yaml');
    const onDisk = readFileSync(file, 'utf8');
    await openFlow(page, serve.url, 'draft.flow.yaml');
    await dropOn(page, 'activity:orders.notify', '/steps', 1);
    await page.waitForSelector('[data-step-id="steps.1"]');
    const edited = await designerText(page);
    await page.waitForSelector('.weft-file[data-dirty="true"]');
    expect(await page.title()).toBe('• draft.flow.yaml — Weft');

    // Leaving the page with unsaved edits asks first.
    const asked: string[] = [];
    page.on('dialog', (d) => {
      asked.push(d.type());
      void d.accept();
    });
    await page.reload();
    expect(asked).toEqual(['beforeunload']);
    await page.waitForSelector('[data-step-id="check"]');
    expect(await stepIds(page)).toEqual(['check', 'ship']);
    expect(readFileSync(file, 'utf8')).toBe(onDisk);

    await page.getByRole('button', { name: 'Restore draft' }).click();
    await expect.poll(() => designerText(page)).toBe(edited);
    expect(await stepIds(page)).toEqual(['check', 'steps.1', 'ship']);
    await page.waitForSelector('.weft-file[data-dirty="true"]');
    expect(readFileSync(file, 'utf8')).toBe(onDisk);

    await page.keyboard.press('Control+s');
    await expect.poll(() => readFileSync(file, 'utf8')).toBe(edited);
    await page.waitForSelector('.weft-file:not([data-dirty])');
    // Saved: no draft left to offer, and nothing to ask before leaving.
    await page.reload();
    await page.waitForSelector('[data-step-id="steps.1"]');
    expect(asked).toEqual(['beforeunload']);
    expect(await page.locator('.weft-draft').count()).toBe(0);
  });

  it('keeps a draft of a flow that has no file yet (on /) too', async () => {
    await page.goto(`${serve.url}/`);
    await page.waitForSelector('button[aria-label="New flow"]');
    await page.locator('.weft-yaml .cm-line', { hasText: 'flow: untitled' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type('-idea');
    await expect.poll(() => designerText(page)).toContain('flow: untitled-idea');
    page.on('dialog', (d) => void d.accept());
    await page.reload();
    await page.getByRole('button', { name: 'Restore draft' }).click();
    await expect.poll(() => designerText(page)).toContain('flow: untitled-idea');
  });

  it("asks before switching flows with unsaved edits, and keeps them as the flow's draft", async () => {
    const file = copyOfOrder('switch.flow.yaml');
    const onDisk = readFileSync(file, 'utf8');
    await openFlow(page, serve.url, 'switch.flow.yaml');
    await dropOn(page, 'activity:orders.notify', '/steps', 1);
    await page.waitForSelector('[data-step-id="steps.1"]');
    const edited = await designerText(page);
    const picker = page.locator('select[aria-label="Open a flow from the server"]');

    const confirms: string[] = [];
    let answer = false;
    page.on('dialog', (d) => {
      confirms.push(`${d.type()}: ${d.message()}`);
      void (answer ? d.accept() : d.dismiss());
    });
    await picker.selectOption('control.flow.yaml');
    await expect.poll(() => confirms.length).toBe(1);
    expect(confirms[0]).toMatch(/^confirm: switch\.flow\.yaml has unsaved changes/);
    expect(await designerText(page)).toBe(edited);
    await expect.poll(() => picker.inputValue()).toBe('switch.flow.yaml');

    answer = true;
    await picker.selectOption('control.flow.yaml');
    await page.waitForSelector('[data-step-id="gate"]');
    expect(confirms).toHaveLength(2);

    // Back to the first flow: its edits are offered; discarding them leaves the file's text.
    await picker.selectOption('switch.flow.yaml');
    await page.getByRole('button', { name: 'Restore draft' }).waitFor();
    expect(confirms).toHaveLength(2);
    await page.getByRole('button', { name: 'Discard draft' }).click();
    expect(await designerText(page)).toBe(onDisk);
    expect(
      await page.evaluate(() => localStorage.getItem('weft.draft:flows/switch.flow.yaml')),
    ).toBeNull();
    expect(readFileSync(file, 'utf8')).toBe(onDisk);
  });

  it('inserts an activity with an input skeleton: valid when its schema requires nothing', async () => {
    copyOfOrder('skeleton.flow.yaml');
    await openFlow(page, serve.url, 'skeleton.flow.yaml');
    await dropOn(page, 'activity:orders.ship', '/steps', 2);
    await page.waitForSelector('[data-step-id="steps.2"][data-kind="activity"]');
    await dropOn(page, 'activity:orders.check', '/steps', 3);
    await page.waitForSelector('[data-step-id="steps.3"][data-kind="activity"]');
    await expect
      .poll(() => page.textContent('[role="tab"]:has-text("Problems")'))
      .toBe('Problems (0)');
    const text = await designerText(page);
    expect(text).toMatch(/- activity: orders\.ship\n\s+input: \{\}\n/);
    expect(text).toMatch(/- activity: orders\.check\n\s+input:\n\s+orderId: <orderId>\n/);
    expect(await page.getAttribute('[data-step-id="steps.2"]', 'data-invalid')).toBeNull();
  });

  it('saves a half-built flow as it is, with a warning; the API and weft run refuse to start it', async () => {
    const file = copyOfOrder('half.flow.yaml');
    await openFlow(page, serve.url, 'half.flow.yaml');
    await page.locator('.weft-yaml .cm-line', { hasText: 'activity: orders.ship' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type('x');
    await page.waitForSelector('[data-step-id="ship"][data-invalid="true"]');
    await page.click('button[aria-label="Save"]');
    await expect
      .poll(() => page.textContent('.weft-notice'))
      .toBe('Saved half.flow.yaml with 1 error: it cannot run until it is fixed.');
    expect(await page.getAttribute('.weft-notice', 'class')).toContain('warning');
    expect(readFileSync(file, 'utf8')).toContain('activity: orders.shipx');
    await page.waitForSelector('.weft-file:not([data-dirty])');

    const res = await fetch(`${serve.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file: 'half.flow.yaml', input: { orderId: 'A1' } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; details: { diagnostics: { code: string }[] } };
    };
    expect(body.error.code).toBe('WEFT_API_INVALID_FLOW');
    expect(body.error.details.diagnostics.map((d) => d.code)).toContain('WEFT023');

    const temporal = testServer();
    const cli = spawnSync(
      process.execPath,
      ['bin/weft.mjs', 'run', file, '--plugins', join(FIXTURES, 'plugin.mjs'), '--input', '{}'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: temporal.address,
          TEMPORAL_NAMESPACE: temporal.namespace,
        },
        timeout: 60_000,
      },
    );
    expect(cli.status).not.toBe(0);
    expect(cli.stderr).toContain('WEFT023');
    expect(cli.stderr).toContain('the flow was not started');

    // Without the designer's opt-in, the API's PUT still refuses an invalid flow.
    const plain = await fetch(`${serve.url}/api/flows/half.flow.yaml`, {
      method: 'PUT',
      headers: { 'content-type': 'text/yaml', 'if-match': '*' },
      body: 'flow: half\nsteps:\n  - activity: no.such.thing\n',
    });
    expect(plain.status).toBe(400);
    expect(readFileSync(file, 'utf8')).toContain('activity: orders.shipx');
  });

  it('creates a new flow from a name, saves as another file, and never overwrites one', async () => {
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await page.goto(`${serve.url}/`);
    await page.waitForSelector('button[aria-label="New flow"]');

    // On `/` there is no file yet: Save asks for a name instead of downloading.
    await page.click('button[aria-label="Save"]');
    await page.waitForSelector('dialog[open] input[name="flow-name"]');
    expect(await focusInDialog(page)).toBe(true);
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog', { state: 'detached' });

    await page.click('button[aria-label="New flow"]');
    await page.waitForSelector('dialog[open] input[name="flow-name"]');
    await page.keyboard.type('fresh');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-step-id="start"]');
    const fresh = join(serve.flowsDir, 'fresh.flow.yaml');
    expect(readFileSync(fresh, 'utf8')).toBe(await designerText(page));
    expect(readFileSync(fresh, 'utf8')).toMatch(/^flow: fresh\nde.*\nsteps:\n {2}- id: start\n/);
    expect(new URL(page.url()).searchParams.get('flow')).toBe('fresh.flow.yaml');
    await page.waitForSelector('.weft-file:not([data-dirty])');

    // A name that is taken is refused, and the file stays as it is.
    const order = readFileSync(join(serve.flowsDir, 'order.flow.yaml'), 'utf8');
    await page.click('button[aria-label="New flow"]');
    await page.fill('dialog[open] input[name="flow-name"]', 'order');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.textContent('dialog[open] [role="alert"]'))
      .toBe('order.flow.yaml exists already: choose another name.');
    expect(readFileSync(join(serve.flowsDir, 'order.flow.yaml'), 'utf8')).toBe(order);
    await page.keyboard.press('Escape');

    // Save As: the edit goes to the new file; the one it came from is unchanged.
    const freshText = readFileSync(fresh, 'utf8');
    await dropOn(page, 'activity:orders.notify', '/steps', 1);
    await page.waitForSelector('[data-step-id="steps.1"]');
    await page.click('button[aria-label="Save as"]');
    await page.fill('dialog[open] input[name="flow-name"]', 'fresh-copy');
    await page.keyboard.press('Enter');
    const copy = join(serve.flowsDir, 'fresh-copy.flow.yaml');
    await expect.poll(() => existsSync(copy)).toBe(true);
    expect(readFileSync(copy, 'utf8')).toBe(await designerText(page));
    expect(readFileSync(copy, 'utf8')).toContain('orders.notify');
    expect(readFileSync(fresh, 'utf8')).toBe(freshText);
    await page.waitForSelector('.weft-file:not([data-dirty])');
    expect(await page.textContent('.weft-file')).toBe('fresh-copy.flow.yaml');
    expect(new URL(page.url()).searchParams.get('flow')).toBe('fresh-copy.flow.yaml');
    expect(downloads).toEqual([]);

    // What the designer relies on from the API: 201 on create, 409 when the file exists or its
    // ETag is stale.
    const put = (headers: Record<string, string>, says: string) =>
      fetch(`${serve.url}/api/flows/api-made.flow.yaml`, {
        method: 'PUT',
        headers: { 'content-type': 'text/yaml', ...headers },
        body: `flow: api-made\nsteps:\n  - log: ${says}\n`,
      });
    const created = await put({ 'if-none-match': '*' }, 'one');
    expect(created.status).toBe(201);
    const etag = created.headers.get('etag') ?? '';
    expect((await put({ 'if-none-match': '*' }, 'two')).status).toBe(409);
    expect((await put({ 'if-match': etag }, 'three')).status).toBe(200);
    expect((await put({ 'if-match': etag }, 'four')).status).toBe(409);
    expect(readFileSync(join(serve.flowsDir, 'api-made.flow.yaml'), 'utf8')).toContain('three');
  });

  it('the Run dialog is a modal: focus moves in, Tab stays inside, Escape closes, focus returns', async () => {
    copyOfOrder('modal.flow.yaml');
    await openFlow(page, serve.url, 'modal.flow.yaml');
    await page.focus('button[aria-label="Run"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog[open] input[name="orderId"]');
    expect(await focusInDialog(page)).toBe(true);
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      expect(await focusInDialog(page), `after ${i + 1} Tab`).toBe(true);
    }
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await focusInDialog(page), `after ${i + 1} Shift+Tab`).toBe(true);
    }
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog', { state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Run',
    );
  });

  it('a canvas edit changes only the lines it touched; the rest of the file keeps its bytes', async () => {
    const original = [
      '# Written by hand: flow lists unpadded, maps padded, one long line.',
      'flow: formatted',
      'description: A description long enough that a printer folding at eighty columns would break it in two.',
      'input:',
      '  type: object',
      '  required: [orderId, amount]',
      '  properties:',
      '    orderId: { type: string }',
      '    amount: { type: number }',
      'steps:',
      '  - id: check',
      '    activity: orders.check',
      '    input: { orderId: "${ input.orderId }" }',
      '',
      '  - id: ship',
      '    activity: orders.ship',
      `    input: { orderId: "\${ input.orderId & '-' & $string(input.amount) & '-with-enough-text-to-pass-eighty' }" }`,
      '',
    ].join('\n');
    const file = join(serve.flowsDir, 'formatted.flow.yaml');
    writeFileSync(file, original);
    await openFlow(page, serve.url, 'formatted.flow.yaml');
    await dropOn(page, 'activity:orders.notify', '/steps', 1);
    await page.waitForSelector('[data-step-id="steps.1"]');
    await page.click('button[aria-label="Save"]');
    await page.waitForSelector('.weft-file:not([data-dirty])');
    const saved = readFileSync(file, 'utf8');
    expect(saved).toBe(
      original.replace('\n\n  - id: ship', '\n  - activity: orders.notify\n\n  - id: ship'),
    );
  });

  it('number and boolean fields of an activity input accept ${ … } expressions', async () => {
    copyOfOrder('expressions.flow.yaml');
    await openFlow(page, serve.url, 'expressions.flow.yaml');
    await page.click('[data-step-id="ship"]');
    const qty = page.locator('.weft-inspector input[name="input.qty"]');
    await qty.fill('${ $count(input.orderId) }');
    await expect.poll(() => page.locator('.weft-inspector [role="alert"]').count()).toBe(0);
    await qty.press('Enter');
    await expect.poll(() => designerText(page)).toContain('qty: "${ $count(input.orderId) }"');

    await page.click('.weft-inspector button[aria-label="Use an expression for input.express"]');
    const express = page.locator('.weft-inspector input[name="input.express"]');
    await expect.poll(() => express.inputValue()).toBe('${ false }');
    await express.fill("${ input.orderId = 'A1' }");
    await express.press('Enter');
    await expect.poll(() => designerText(page)).toContain(`express: "\${ input.orderId = 'A1' }"`);
    await page.waitForSelector('[data-step-id="ship"]:not([data-invalid])');
  });
});
