/**
 * The designer's Schedules tab: the open flow's declared schedules, and what Temporal has of
 * them once applied (next runs, recent runs), paused and triggered from the panel.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './axe';
import { chromiumAvailable } from './browser';
import { openFlow } from './designer-app';
import { designerPage, startDesigner } from './designer-session';
import type { ServeHandle } from './serve';

const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));

// Its own name per run: the tests' Temporal server outlives this file, and so would its schedule.
const FLOW = `e2e-hourly-${process.pid}`;
const HOURLY = `flow: ${FLOW}
schedules:
  - id: hourly
    every: 1h
steps:
  - id: hello
    log: scheduled hello
`;

/** Schedules reach Temporal's list through visibility: a change may take a moment to show. */
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 60_000, interval: 500 });

describe.skipIf(!chromiumAvailable())('the designer shows a flow’s schedules', () => {
  let serve: ServeHandle;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const fixtures = mkdtempSync(join(tmpdir(), 'weft-e2e-schedules-'));
    cpSync(EXAMPLES, fixtures, { recursive: true });
    writeFileSync(join(fixtures, 'hourly.flow.yaml'), HOURLY);
    ({ serve, browser } = await startDesigner({
      fixtures,
      plugins: [join(EXAMPLES, 'plugins', 'shop.mjs')],
    }));
    page = await designerPage(browser, pageErrors);
  });

  afterAll(async () => {
    if (serve) {
      await fetch(`${serve.url}/api/schedules/${encodeURIComponent(`${FLOW}:hourly`)}`, {
        method: 'DELETE',
      }).catch(() => undefined);
    }
    await browser?.close();
    await serve?.stop();
  });

  const item = () => page.locator('[data-schedule-id="hourly"]');
  /** Clicks ↻ and reads what the panel then shows. */
  const refreshed = async <T>(read: () => Promise<T>): Promise<T> => {
    await page.getByRole('button', { name: 'Refresh the schedules' }).click();
    return read();
  };

  it('lists the declared schedule, not applied yet', async () => {
    await openFlow(page, serve.url, 'hourly.flow.yaml');
    await page.getByRole('tab', { name: 'Schedules' }).click();
    await item().waitFor();
    expect(await item().textContent()).toContain('every 1h');
    expect(await item().locator('[data-field="state"]').textContent()).toBe('not applied');
  });

  it('applies it: active, with its next run times', async () => {
    await page.getByRole('button', { name: 'Apply schedules' }).click();
    await poll(() => refreshed(() => item().getAttribute('data-applied'))).toBe('true');
    expect(await item().locator('[data-field="state"]').textContent()).toBe('active');
    await poll(() =>
      refreshed(() => item().locator('[data-field="next-runs"] time').count()),
    ).toBeGreaterThan(0);
    const next = await item()
      .locator('[data-field="next-runs"] time')
      .first()
      .getAttribute('datetime');
    // An hourly interval: the next run is within the hour.
    expect(Date.parse(next ?? '') - Date.now()).toBeLessThanOrEqual(3_600_000);
  });

  it('Trigger starts a run that shows as a recent run, and opens in the run panel', async () => {
    await item().getByRole('button', { name: 'Trigger' }).click();
    const recent = item().locator('[data-field="recent-runs"] li button');
    await poll(() => refreshed(() => recent.count())).toBeGreaterThan(0);
    const label = (await recent.first().textContent()) ?? '';
    expect(label).toContain(`${FLOW}-hourly-`);
    await recent.first().click();
    await page.waitForSelector('[data-run-status="completed"]', { timeout: 90_000 });
    await page.getByRole('tab', { name: 'Schedules' }).click();
  });

  it('Pause pauses it, and Unpause then offers itself', async () => {
    await item().getByRole('button', { name: 'Pause' }).click();
    await poll(() => refreshed(() => item().locator('[data-field="state"]').textContent())).toBe(
      'paused',
    );
    expect(await item().getByRole('button', { name: 'Unpause' }).count()).toBe(1);
    const api = (await (
      await fetch(`${serve.url}/api/schedules?flow=${encodeURIComponent(FLOW)}`)
    ).json()) as { schedules: { paused: boolean }[] };
    expect(api.schedules.map((s) => s.paused)).toEqual([true]);
  });

  it('axe finds no serious or critical violation in the panel; its buttons are named by their text', async () => {
    expect(await axeViolations(page)).toEqual([]);
    expect(
      await axeViolations(page, {
        runOnly: { type: 'rule', values: ['label-content-name-mismatch'] },
      }),
    ).toEqual([]);
    for (const name of ['Apply schedules', 'Unpause', 'Trigger']) {
      expect(await page.getByRole('button', { name, exact: true }).count()).toBe(1);
    }
    expect(pageErrors).toEqual([]);
  });
});
