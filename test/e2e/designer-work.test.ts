/**
 * "Never lose work": the designer's history, drafts, saving and new flows, driven in headless
 * Chromium with keys and clicks against `weft serve`, the way a user works.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testServer } from '../helpers';
import { chromiumAvailable, launchChromium } from './browser';
import { designerText, editorText, ensureDesignerBuilt, openFlow, stepIds } from './designer-app';
import { type ServeHandle, startServe } from './serve';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

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

describe.skipIf(!chromiumAvailable())('the designer never loses work', () => {
  let serve: ServeHandle;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureDesignerBuilt();
    const temporal = testServer();
    serve = await startServe({
      fixtures: FIXTURES,
      plugins: [join(FIXTURES, 'plugin.mjs')],
      env: { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace },
    });
    browser = await launchChromium();
  });

  beforeEach(async () => {
    // A fresh context per test: its own localStorage, so drafts never leak between tests.
    await page?.context().close();
    const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

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
});
