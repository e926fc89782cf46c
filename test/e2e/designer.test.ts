import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './browser';
import { designerText, editorText, openFlow, stepIds } from './designer-app';
import { designerPage, startDesigner } from './designer-session';
import type { ServeHandle } from './serve';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const COMMENTS = ['E2E-HEAD', 'E2E-CHECK', 'E2E-ACTIVITY', 'E2E-TIMEOUT', 'E2E-TAIL'];

function expectComments(text: string): void {
  for (const c of COMMENTS) expect(text, `comment ${c}`).toContain(c);
}

describe.skipIf(!chromiumAvailable())(
  'the designer in headless Chromium against weft serve',
  () => {
    let serve: ServeHandle;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      ({ serve, browser } = await startDesigner({
        fixtures: FIXTURES,
        plugins: [join(FIXTURES, 'plugin.mjs')],
      }));
      page = await designerPage(browser, pageErrors);
    });

    afterAll(async () => {
      await browser?.close();
      await serve?.stop();
    });

    it('draws one node per step, and marks a step whose activity is unknown', async () => {
      await openFlow(page, serve.url, 'unknown.flow.yaml');
      expect((await stepIds(page)).sort()).toEqual(['fine', 'missing']);
      await page.waitForSelector('[data-step-id="missing"][data-invalid="true"]');
      expect(await page.getAttribute('[data-step-id="fine"]', 'data-invalid')).toBeNull();
      const message = await page.textContent('[data-step-id="missing"] .weft-problem');
      expect(message).toContain('nowhere.to.be.found');
    });

    it('clicking a problem never scrolls the page itself, on a window shorter than the palette', async () => {
      const small = await designerPage(browser, pageErrors);
      try {
        await small.setViewportSize({ width: 1280, height: 560 });
        await openFlow(small, serve.url, 'unknown.flow.yaml');
        await small.click('.weft-problems button');
        await small.waitForTimeout(300);
        // Each pane scrolls on its own; the page has nothing below the app to scroll to.
        const page = await small.evaluate(() => {
          const d = document.scrollingElement!;
          return { top: d.scrollTop, overflow: d.scrollHeight - d.clientHeight };
        });
        expect(page).toEqual({ top: 0, overflow: 0 });
      } finally {
        await small.close();
      }
    });

    it('opens a flow and drags an activity from the palette into it', async () => {
      await openFlow(page, serve.url, 'order.flow.yaml');
      expect(await stepIds(page)).toEqual(['check', 'ship']);
      await page.dragAndDrop(
        '[data-palette-item="activity:orders.notify"]',
        '[data-insert-list="/steps"][data-insert-index="1"]',
      );
      await page.waitForSelector('[data-step-id="steps.1"][data-kind="activity"]');
      expect(await stepIds(page)).toEqual(['check', 'steps.1', 'ship']);
      const text = await designerText(page);
      expect(text).toMatch(/- activity: orders\.notify\n\s+- id: ship/);
      expectComments(text);
    });

    it('edits the timeout in the inspector: the YAML changes and keeps its comments; undo reverts', async () => {
      const before = await designerText(page);
      await page.click('[data-step-id="check"]');
      const field = page.locator('.weft-inspector input[name="timeouts.startToClose"]');
      await expect.poll(() => field.inputValue()).toBe('10s');
      await field.fill('45s');
      await field.press('Enter');
      await expect.poll(() => editorText(page)).toContain('startToClose: 45s # E2E-TIMEOUT');
      expectComments(await editorText(page));

      // A corner of the pane: the middle may hold an edge's "+" button.
      await page.click('.weft-canvas .react-flow__pane', { position: { x: 8, y: 8 } });
      await page.keyboard.press('Control+z');
      await expect.poll(() => designerText(page)).toBe(before);
      await expect.poll(() => editorText(page)).toContain('startToClose: 10s # E2E-TIMEOUT');
    });

    it('marks the node when the YAML gets an error, and clears it when fixed', async () => {
      await page.locator('.weft-yaml .cm-line', { hasText: 'activity: orders.ship' }).click();
      await page.keyboard.press('End');
      await page.keyboard.type('x');
      await page.waitForSelector('[data-step-id="ship"][data-invalid="true"]');
      expect(await page.textContent('.weft-problems')).toContain('orders.shipx');
      await page.keyboard.press('Backspace');
      await page.waitForSelector('[data-step-id="ship"]:not([data-invalid])');
    });

    it('keeps the last good graph, marked stale, while the YAML does not parse', async () => {
      await page.locator('.weft-yaml .cm-line', { hasText: /^steps:$/ }).click();
      await page.keyboard.press('End');
      await page.keyboard.type(' [');
      await page.waitForSelector('.weft-canvas[data-stale="true"]');
      expect(await stepIds(page)).toEqual(['check', 'steps.1', 'ship']);
      await page.keyboard.press('Backspace');
      await page.keyboard.press('Backspace');
      await page.waitForSelector('.weft-canvas:not([data-stale])');
    });

    it('edits from the keyboard: arrows select, Delete removes, Ctrl+Z restores, Ctrl+C copies', async () => {
      await page.click('[data-step-id="check"]');
      await page.keyboard.press('ArrowDown');
      await page.waitForSelector('.weft-step.selected[data-step-id="steps.1"]');
      await page.keyboard.press('Delete');
      await expect.poll(() => stepIds(page)).toEqual(['check', 'ship']);
      await page.keyboard.press('Control+z');
      await expect.poll(() => stepIds(page)).toEqual(['check', 'steps.1', 'ship']);
      await page.click('[data-step-id="check"]');
      await page.keyboard.press('Control+c');
      await expect
        .poll(() => page.evaluate(() => localStorage.getItem('weft.clipboard')))
        .toContain('E2E-TIMEOUT');
    });

    it('saves, runs, and watches every node reach completed', async () => {
      await page.click('button[aria-label="Save"]');
      await expect
        .poll(() => readFileSync(join(serve.flowsDir, 'order.flow.yaml'), 'utf8'))
        .toContain('orders.notify');
      const saved = readFileSync(join(serve.flowsDir, 'order.flow.yaml'), 'utf8');
      expectComments(saved);

      await page.click('button[aria-label="Run"]');
      await page.fill('.weft-modal input[name="orderId"]', 'A1');
      await page.click('.weft-modal button[type="submit"]');
      await page.waitForFunction(
        () => {
          const nodes = [...document.querySelectorAll('[data-step-id]')];
          return (
            nodes.length === 3 && nodes.every((n) => n.getAttribute('data-status') === 'completed')
          );
        },
        undefined,
        { timeout: 90_000 },
      );
      expect(pageErrors).toEqual([]);
    });

    it('lists the run, repaints it from its history, and scrubs through it', async () => {
      await page.waitForSelector('[data-run-status="completed"]');
      const run = page.locator('.weft-run-list button[aria-label^="Open run e2e-order"]').first();
      await run.waitFor();
      await page.reload();
      await page.waitForSelector('[data-step-id="check"]');
      expect(await page.getAttribute('[data-step-id="check"]', 'data-status')).toBeNull();
      await page.click('[role="tab"]:has-text("Runs")');
      await page.locator('.weft-run-list button[aria-label^="Open run e2e-order"]').first().click();
      await page.waitForFunction(() =>
        [...document.querySelectorAll('[data-step-id]')].every(
          (n) => n.getAttribute('data-status') === 'completed',
        ),
      );
      const scrubber = page.locator('input[aria-label="Step through the run\'s history"]');
      await scrubber.fill('0');
      await page.waitForFunction(
        () => document.querySelectorAll('[data-step-id][data-status]').length === 0,
      );
      expect(await page.locator('a[aria-label$="in the Temporal Web UI"]').count()).toBeGreaterThan(
        0,
      );
    });

    it('detects a conflicting change on disk, and overwrites only when asked', async () => {
      const file = join(serve.flowsDir, 'order.flow.yaml');
      writeFileSync(file, `${readFileSync(file, 'utf8')}# changed on disk\n`);
      await page.click('[data-step-id="ship"]');
      const name = page.locator('.weft-inspector input[name="name"]');
      await name.fill('Ship it');
      await name.press('Enter');
      await page.click('button[aria-label="Save"]');
      await expect.poll(() => page.textContent('.weft-notice')).toContain('changed on disk');
      expect(readFileSync(file, 'utf8')).not.toContain('Ship it');
      await page.click('button[aria-label="Save"]', { modifiers: ['Shift'] });
      await expect.poll(() => readFileSync(file, 'utf8')).toContain('name: Ship it');
    });

    it('pastes the copied step into another flow, comments and all', async () => {
      await openFlow(page, serve.url, 'unknown.flow.yaml');
      await page.click('[data-step-id="fine"]');
      await page.keyboard.press('Control+v');
      await expect.poll(() => stepIds(page)).toEqual(['fine', 'check', 'missing']);
      expect(await designerText(page)).toContain('startToClose: 10s # E2E-TIMEOUT');
    });

    it('inserts from the keyboard: / searches the palette, Enter inserts after the selection', async () => {
      await page.click('[data-step-id="fine"]');
      await page.keyboard.press('/');
      await page.keyboard.type('orders.ship');
      await page.keyboard.press('Enter');
      await expect.poll(() => stepIds(page)).toEqual(['fine', 'steps.1', 'check', 'missing']);
    });

    it('completes keys from the schema and activity names from the manifest in the YAML pane', async () => {
      await page.locator('.weft-yaml .cm-line', { hasText: 'id: missing' }).click();
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('timeo');
      await page.waitForSelector('.cm-tooltip-autocomplete li:has-text("timeouts")');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+a');
      await page.keyboard.type('flow: typed\nsteps:\n  - activity: orders.n');
      await page.click('.cm-tooltip-autocomplete li:has-text("orders.notify")');
      await expect.poll(() => designerText(page)).toContain('activity: orders.notify');
    });

    it('paints control steps and skipped steps from the progress query', async () => {
      await openFlow(page, serve.url, 'control.flow.yaml');
      await page.click('button[aria-label="Run"]');
      await page.click('.weft-modal button[type="submit"]');
      const expected: Record<string, string | null> = {
        start: 'completed',
        gate: 'completed',
        yes: 'completed',
        // The else branch was not taken: its steps are skipped (issue 14 §4).
        no: 'skipped',
        maybe: 'skipped',
        fan: 'completed',
        pa: 'completed',
        pb: 'completed',
      };
      await page.waitForSelector('[data-run-status="completed"]', { timeout: 90_000 });
      await expect
        .poll(() =>
          page.$$eval('[data-step-id]', (els) =>
            Object.fromEntries(
              els.map((e) => [e.getAttribute('data-step-id'), e.getAttribute('data-status')]),
            ),
          ),
        )
        .toEqual(expected);
    });

    it('drops a palette item onto a branch, at the end of its list', async () => {
      await page.dragAndDrop(
        '[data-palette-item="activity:orders.check"]',
        '[data-branch="/steps/1/else"]',
        {
          targetPosition: { x: 6, y: 6 },
        },
      );
      await page.waitForSelector('[data-step-id="steps.1.else.1"][data-kind="activity"]');
      expect(await designerText(page)).toMatch(/log: never\n\s+- activity: orders\.check/);
    });
  },
);
