import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './browser';
import { openFlow } from './designer-app';
import { designerPage, startDesigner } from './designer-session';
import type { ServeHandle } from './serve';

const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));

/** A flow that waits for a signal forever, with a query: for the run controls. */
const GATE = `flow: e2e-gate
vars: { who: nobody }
signals:
  go:
    input: { type: object, required: [who], properties: { who: { type: string } } }
    set: { who: "\${ payload.who }" }
queries:
  who: "\${ vars.who }"
onCancel:
  - id: tidy
    log: "cancelled before \${ vars.who } came"
steps:
  - id: hold
    wait: { signal: go }
output: "\${ { 'who': vars.who } }"
`;

/** Two shared cores: a picture may take a while to settle. */
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 200 });

const SHOP_ORDER = {
  orderId: 'A1',
  items: [{ sku: 'apple', qty: 2 }],
  amount: 19.5,
  address: { country: 'XX' },
};

describe.skipIf(!chromiumAvailable())('the designer shows the whole run', () => {
  let serve: ServeHandle;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const fixtures = mkdtempSync(join(tmpdir(), 'weft-e2e-run-'));
    cpSync(EXAMPLES, fixtures, { recursive: true });
    writeFileSync(join(fixtures, 'gate.flow.yaml'), GATE);
    ({ serve, browser } = await startDesigner({
      fixtures,
      plugins: [join(EXAMPLES, 'plugins', 'shop.mjs')],
    }));
    page = await designerPage(browser, pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  async function startRun(file: string, input: unknown): Promise<string> {
    const res = await fetch(`${serve.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file, input }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { workflowId: string }).workflowId;
  }

  async function openRun(file: string, workflowId: string): Promise<void> {
    await openFlow(page, serve.url, file);
    await page.click('[role="tab"]:has-text("Runs")');
    await page.locator(`.weft-run-list button[aria-label^="Open run ${workflowId} "]`).click();
  }

  const attr = (stepId: string, name: string) =>
    page.getAttribute(`[data-step-id="${stepId}"]`, name);

  it('order-fulfilment to country XX: the failed ship, then both compensations on their steps; the scrubber walks through them', async () => {
    const workflowId = await startRun('order-fulfilment.flow.yaml', SHOP_ORDER);
    await openRun('order-fulfilment.flow.yaml', workflowId);
    await page.waitForSelector('[data-run-status="failed"]', { timeout: 90_000 });
    await poll(() => attr('reserve', 'data-compensation')).toBe('completed');
    expect(await attr('charge', 'data-compensation')).toBe('completed');
    expect(await attr('ship', 'data-compensation')).toBeNull();
    expect(await attr('ship', 'data-status')).toBe('failed');
    expect(await page.locator('[data-step-id="reserve"] .weft-undo').textContent()).toContain(
      'undo completed',
    );

    // Every scrubber position paints a picture; the undo goes charge first, then reserve.
    const scrubber = page.locator('input[aria-label="Step through the run\'s history"]');
    const max = Number(await scrubber.getAttribute('max'));
    const pictures: string[] = [];
    for (let i = 0; i <= max; i++) {
      await scrubber.fill(String(i));
      const picture = `${await attr('charge', 'data-compensation')}/${await attr('reserve', 'data-compensation')}`;
      if (pictures.at(-1) !== picture) pictures.push(picture);
    }
    expect(pictures).toEqual([
      'null/null',
      'running/null',
      'completed/null',
      'completed/running',
      'completed/completed',
    ]);
    expect(await page.locator('.weft-scrubber-event').textContent()).toContain('run failed');
    expect(pageErrors).toEqual([]);
  });

  it('a clicked step shows its input, output, attempts, times and duration, and its undo; the run shows its input', async () => {
    await page.click('[data-step-id="charge"]');
    const detail = page.locator('section[aria-label="Run of step charge"]');
    await detail.waitFor();
    const charge = detail.locator('[data-instance="charge"]');
    await poll(() => charge.locator('[data-label="Step input"]').textContent()).toContain('19.5');
    expect(await charge.locator('[data-label="Step output"]').textContent()).toContain('chargeId');
    expect(await charge.locator('[data-field="attempts"]').textContent()).toBe('1');
    expect(await charge.locator('[data-field="duration"]').textContent()).toMatch(
      /\d+(\.\d+)? (ms|s)/,
    );
    expect(await charge.locator('[data-field="start"]').textContent()).toMatch(/\d\d:\d\d:\d\d/);
    const undo = detail.locator('[data-instance="charge:compensate"]');
    expect(await undo.textContent()).toContain('undo of charge');
    expect(await undo.locator('[data-label="Step input"]').textContent()).toContain('chargeId');
    expect(await page.locator('[data-label="Run input"]').textContent()).toContain('"XX"');
    await page.click('[data-step-id="ship"]');
    await poll(() => page.locator('[aria-label="Step error"]').textContent()).toContain(
      'AddressInvalid',
    );
    // The timeline has a bar for every instance, the undos included.
    const rows = await page.$$eval('.weft-timeline-row', (els) =>
      els.map((e) => e.getAttribute('data-instance')),
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        'reserve',
        'charge',
        'ship',
        'charge:compensate',
        'reserve:compensate',
      ]),
    );
  });

  it('approval without a decision: the branch not taken is skipped, the wait timed out, the if says which branch ran', async () => {
    const workflowId = await startRun('approval.flow.yaml', { requestId: 'R1', amount: 500 });
    await openRun('approval.flow.yaml', workflowId);
    await page.waitForSelector('[data-run-status="completed"]', { timeout: 90_000 });
    await poll(() => attr('wait-decision', 'data-status')).toBe('timedOut');
    expect(await attr('steps.0.then.0', 'data-status')).toBe('skipped');
    expect(await attr('steps.0.then.1', 'data-status')).toBe('skipped');
    expect(await attr('small', 'data-branch-taken')).toBe('else');
    expect(await page.getAttribute('[data-branch="/steps/0/then"]', 'data-not-taken')).toBe('true');
  });

  it('sends a signal from a form made from its schema, runs a query, re-runs, and cancels', async () => {
    const workflowId = await startRun('gate.flow.yaml', {});
    await openRun('gate.flow.yaml', workflowId);
    await poll(() => attr('hold', 'data-status')).toBe('running');
    const form = page.locator('form[aria-label="Send a message to this run"]');
    await form.locator('select[aria-label="Message"]').selectOption({ label: 'signal go' });
    const payload = form.locator('textarea[aria-label="Payload (JSON)"]');
    expect(JSON.parse(await payload.inputValue())).toEqual({ who: '' });
    await payload.fill('{"who":"ann"}');
    await form.locator('button[type="submit"]').click();
    await page.waitForSelector('[data-run-status="completed"]', { timeout: 90_000 });
    await poll(() => page.locator('[data-label="Run output"]').textContent()).toContain('ann');

    await form.locator('select[aria-label="Message"]').selectOption({ label: 'query who' });
    await form.locator('button[type="submit"]').click();
    await poll(() => form.locator('output[aria-label="Answer"]').textContent()).toBe('"ann"');

    await page.click('button[title="Run again with the same input"]');
    await page.waitForFunction((first) => {
      const el = document.querySelector('.weft-current-run strong');
      return el !== null && el.textContent !== first;
    }, workflowId);
    await poll(() => attr('hold', 'data-status')).toBe('running');
    await page.click('button[title="Cancel this run"]');
    await page.waitForSelector('[data-run-status="cancelled"]', { timeout: 90_000 });
    expect(await attr('hold', 'data-status')).toBe('cancelled');
    await poll(() => attr('tidy', 'data-status')).toBe('completed');
    expect(pageErrors).toEqual([]);
  });
});
