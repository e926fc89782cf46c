/**
 * Accessibility of the designer, in headless Chromium against `weft serve`: axe-core finds no
 * serious or critical violation in light or dark mode; dark mode follows the system and keeps the
 * user's choice; the keyboard reaches the canvas at once and moves along it.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './axe';
import { chromiumAvailable } from './browser';
import { openFlow } from './designer-app';
import { startDesigner } from './designer-session';
import type { ServeHandle } from './serve';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
async function isDark(page: Page): Promise<boolean> {
  return page.evaluate(
    () => document.querySelector('.weft-app')?.classList.contains('dark') === true,
  );
}

/** The step id of the canvas node that has focus, if one has. */
async function focusedNode(page: Page): Promise<string | null | undefined> {
  return page.evaluate(() =>
    document.activeElement
      ?.closest('.react-flow__node')
      ?.querySelector('[data-step-id]')
      ?.getAttribute('data-step-id'),
  );
}

describe.skipIf(!chromiumAvailable())('the designer is accessible', () => {
  let serve: ServeHandle;
  let browser: Browser;
  let context: BrowserContext | undefined;
  const pageErrors: string[] = [];

  /** A fresh context (its own localStorage) with the system's colour scheme set. */
  async function newPage(colorScheme: 'light' | 'dark'): Promise<Page> {
    context = await browser.newContext({ viewport: { width: 1500, height: 950 }, colorScheme });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    return page;
  }

  beforeAll(async () => {
    ({ serve, browser } = await startDesigner({
      fixtures: FIXTURES,
      plugins: [join(FIXTURES, 'plugin.mjs')],
    }));
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  afterAll(async () => {
    expect(pageErrors).toEqual([]);
    await browser?.close();
    await serve?.stop();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`axe finds no serious or critical violation in ${scheme} mode: a flow, the Run dialog, a run`, async () => {
      const page = await newPage(scheme);
      await openFlow(page, serve.url, 'order.flow.yaml');
      expect(await isDark(page)).toBe(scheme === 'dark');
      await page.click('[data-step-id="check"]');
      await page.waitForSelector('.weft-inspector input[name="timeouts.startToClose"]');
      expect(await axeViolations(page), 'a flow open, a step selected').toEqual([]);

      await page.click('button[aria-label="Run"]');
      await page.waitForSelector('dialog[open] input[name="orderId"]');
      expect(await axeViolations(page), 'the Run dialog').toEqual([]);

      await page.fill('.weft-modal input[name="orderId"]', `A11Y-${scheme}`);
      await page.click('.weft-modal button[type="submit"]');
      await page.waitForSelector('[data-step-id="ship"][data-status="completed"]', {
        timeout: 90_000,
      });
      await page.waitForSelector('[data-run-status="completed"]');
      expect(await axeViolations(page), 'a completed run').toEqual([]);
    });
  }

  it('dark mode follows the system until the user picks one; the pick survives a reload', async () => {
    const page = await newPage('dark');
    await openFlow(page, serve.url, 'order.flow.yaml');
    expect(await isDark(page)).toBe(true);
    const toggle = page.locator('button[aria-label="Dark mode"]');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');

    // The system turns light: the designer follows, as nobody has chosen yet.
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => isDark(page)).toBe(false);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => isDark(page)).toBe(true);

    await toggle.click();
    expect(await isDark(page)).toBe(false);
    await page.reload();
    await page.waitForSelector('[data-step-id]');
    expect(await isDark(page)).toBe(false);
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
  });

  it('the first Tab shows "Skip to canvas"; Enter moves focus to the first node', async () => {
    const page = await newPage('light');
    await openFlow(page, serve.url, 'order.flow.yaml');
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      const rect = el?.getBoundingClientRect();
      return {
        text: el?.textContent,
        visible: rect !== undefined && rect.width > 1 && rect.height > 1 && rect.top >= 0,
      };
    });
    expect(skip).toEqual({ text: 'Skip to canvas', visible: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedNode(page)).toBe('check');
  });

  it('arrow keys move focus along with the selection on the canvas', async () => {
    const page = await newPage('light');
    await openFlow(page, serve.url, 'order.flow.yaml');
    await page.focus('.react-flow__node:has([data-step-id="check"])');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedNode(page)).toBe('ship');
    expect(await page.getAttribute('[data-step-id="ship"]', 'class')).toContain('selected');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => focusedNode(page)).toBe('check');
  });

  it('the YAML editor has a name; palette buttons are named by what they show', async () => {
    const page = await newPage('light');
    await openFlow(page, serve.url, 'order.flow.yaml');
    expect(await page.getByRole('textbox', { name: 'Flow YAML', exact: true }).count()).toBe(1);
    // axe's check that a control's name contains its visible text (off by default in axe).
    expect(
      await axeViolations(page, {
        runOnly: { type: 'rule', values: ['label-content-name-mismatch'] },
      }),
    ).toEqual([]);
    const item = page.locator('[data-palette-item="activity:orders.notify"]');
    // What the button shows: its name and description (the "Insert" prefix is for screen readers).
    const shown = `${await item.locator('.name').textContent()} ${await item.locator('.desc').textContent()}`;
    expect(shown).toContain('orders.notify');
    expect(
      await page.getByRole('button', { name: shown }).evaluate((el) => el.dataset.paletteItem),
    ).toBe('activity:orders.notify');
  });
});
