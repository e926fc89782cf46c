/**
 * Regenerates the screenshots in docs/: `npx tsx test/e2e/screenshots.ts` (after
 * `npm run build:designer`). Starts `weft serve` over a copy of examples/ (with TEMPORAL_ADDRESS,
 * or its own embedded dev server), opens the main views in headless Chromium and saves PNGs of
 * the app's viewport (1280x800, so they stay small): light and dark, the inspector, a finished
 * run, a run that compensated, and its timeline.
 */
import { fileURLToPath } from 'node:url';
import { launchChromium } from './browser';
import { openFlow } from './designer-app';
import { startServe } from './serve';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = `${ROOT}docs/`;

async function main(): Promise<void> {
  const serve = await startServe({
    fixtures: `${ROOT}examples`,
    plugins: [`${ROOT}examples/plugins/shop.mjs`, `${ROOT}examples/plugins/compute.mjs`],
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // The screenshots show the light scheme unless they switch: not the machine's preference.
    await page.emulateMedia({ colorScheme: 'light' });
    await openFlow(page, serve.url, 'order-fulfilment.flow.yaml');
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${DOCS}designer.png` });

    await page.click('[data-step-id="charge"]');
    await page.locator('.weft-inspector .ref-timeouts').first().scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${DOCS}designer-inspector.png` });

    await page.click('button[aria-label="Run"]');
    await page.click('.weft-modal input[type="checkbox"]');
    await page.fill(
      '.weft-modal textarea',
      '{"orderId":"A1","items":[{"sku":"apple","qty":2}],"amount":19.5,"email":"ann@example.com"}',
    );
    await page.click('.weft-modal button[type="submit"]');
    await page.click('[role="tab"]:has-text("Runs")');
    await page.waitForSelector('[data-run-status="completed"]', { timeout: 120_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${DOCS}designer-run.png` });

    // A run that compensates (shipping to XX fails): undo badges, the step detail, the timeline.
    await page.click('button[aria-label="Run"]');
    await page.click('.weft-modal input[type="checkbox"]');
    await page.fill(
      '.weft-modal textarea',
      '{"orderId":"A2","items":[{"sku":"apple","qty":2}],"amount":19.5,"address":{"country":"XX"}}',
    );
    await page.click('.weft-modal button[type="submit"]');
    await page.waitForSelector('[data-run-status="failed"]', { timeout: 120_000 });
    await page.waitForSelector('[data-step-id="reserve"][data-compensation="completed"]');
    await page.click('[data-step-id="charge"]');
    await page.click('[role="tab"]:has-text("Runs")');
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${DOCS}designer-run-compensations.png` });

    // The same run's timeline, compensations included, scrolled into the panel's view.
    await page.locator('.weft-timeline').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${DOCS}designer-run-timeline.png` });

    await openFlow(page, serve.url, 'approval.flow.yaml');
    await page.click('button[aria-label="Dark mode"]');
    // The editor draws only the lines in view: bring the step's into it, as a problem's link does.
    await page.evaluate(() => {
      const store = (
        window as unknown as {
          __weft: {
            store: { getState(): { text: string; revealLine(line: number, col: number): void } };
          };
        }
      ).__weft.store.getState();
      const line = store.text
        .split('\n')
        .findIndex((l) => l.includes('activity: approval.request'));
      store.revealLine(line + 1, 1);
    });
    await page.locator('.weft-yaml .cm-line', { hasText: 'activity: approval.request' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type('-typo');
    await page.waitForSelector('[data-invalid="true"]');
    await page.click('.weft-problems button');
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${DOCS}designer-dark-problems.png` });
  } finally {
    await browser.close();
    await serve.stop();
  }
}

await main();
