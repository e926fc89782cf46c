import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './browser';
import { designerText, openFlow, stepIds } from './designer-app';
import { designerPage, startDesigner } from './designer-session';
import type { ServeHandle } from './serve';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

describe.skipIf(!chromiumAvailable())(
  'the designer opens a Serverless Workflow document (headless Chromium)',
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

    it('draws the Weft flow it converts to, with the read-only banner', async () => {
      await openFlow(page, serve.url, 'ows-greet.flow.yaml');
      const ids = await stepIds(page);
      for (const id of ['do.0.pick', 'do.1.formal', 'do.2.casual', 'do.3.announce'])
        expect(ids).toContain(id);
      // Shown from its start once converted, as any flow too tall to fit opens (not left where
      // the placeholder graph drawn while the converter loaded was fitted, mid-pane).
      const pane = (await page.locator('.weft-canvas .react-flow').boundingBox())!;
      const start = (await page.locator('.react-flow__node[data-id="#start"]').boundingBox())!;
      expect(start.y - pane.y).toBeGreaterThanOrEqual(0);
      expect(start.y - pane.y).toBeLessThan(60);
      const banner = page.getByRole('status', { name: 'Serverless Workflow document' });
      expect(await banner.textContent()).toContain(
        'Serverless Workflow document: shown as the Weft flow it converts to; edit the YAML, or `weft import` it to edit on the canvas',
      );
      await page.waitForSelector('.weft-canvas[data-read-only="true"]');
      await page.waitForSelector('.weft-problems-empty, p[role="status"]:has-text("No problems.")');
    });

    it('refuses a canvas edit: Delete on a node leaves the text as it is', async () => {
      const before = await designerText(page);
      await page.click('[data-step-id="do.2.casual"]');
      // As a user would, press Delete once the step shows it is selected.
      await page.waitForSelector('[data-step-id="do.2.casual"].selected');
      await page.keyboard.press('Delete');
      const notice = () =>
        page.evaluate(
          () =>
            (
              window as unknown as {
                __weft: { store: { getState(): { notice?: { text: string } } } };
              }
            ).__weft.store.getState().notice?.text,
        );
      await expect.poll(notice).toContain('Serverless Workflow document');
      expect(await designerText(page)).toBe(before);
      expect(await stepIds(page)).toContain('do.2.casual');
    });

    it('re-converts as the YAML is typed, and shows the converter error at its line', async () => {
      await page.locator('.weft-yaml .cm-line', { hasText: 'then: announce' }).click();
      await page.keyboard.press('End');
      await page.keyboard.type('x');
      const problem = page.locator('.weft-problems button[data-code="WEFT082"]');
      await problem.waitFor();
      expect(await problem.locator('.where').textContent()).toBe('19:13');
      await page.waitForSelector('.weft-canvas[data-stale="true"]');
      await page.keyboard.press('Backspace');
      await page.waitForSelector('.weft-canvas:not([data-stale])');
      expect(pageErrors).toEqual([]);
    });

    it("lists a .sw.yaml file of the server's folder in the picker, opens it, and saves a YAML edit as it is", async () => {
      const file = join(serve.flowsDir, 'greet.sw.yaml');
      copyFileSync(join(FIXTURES, 'ows-greet.flow.yaml'), file);
      await page.goto(`${serve.url}/`);
      const picker = page.locator('select[aria-label="Open a flow from the server"]');
      await expect
        .poll(() => picker.locator('option').allTextContents())
        .toContain('greet.sw.yaml');
      await picker.selectOption('greet.sw.yaml');
      await page.waitForSelector('[data-step-id="do.0.pick"]');
      await page.waitForSelector('.weft-canvas[data-read-only="true"]');

      await page.locator('.weft-yaml .cm-line', { hasText: 'then: announce' }).click();
      await page.keyboard.press('End');
      await page.keyboard.type('  # reviewed');
      await page.waitForSelector('.weft-file[data-dirty="true"]');
      const edited = await designerText(page);
      await page.keyboard.press('Control+s');
      await expect.poll(() => readFileSync(file, 'utf8')).toBe(edited);
      await page.waitForSelector('.weft-file:not([data-dirty])');
      expect(pageErrors).toEqual([]);
    });
  },
);
