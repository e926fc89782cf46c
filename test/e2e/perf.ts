/**
 * Timing hooks for `npm run bench`: load-and-layout of a flow's text, and frame times while
 * panning, both read in the page through `window.__weft` (designer/src/components/perf.ts).
 */
import type { Page } from 'playwright-core';
// The designer declares window.__weft beside the hooks that fill it.
import type {} from '../../designer/src/perf';

/** Opens `text` in the designer; resolves with ms from load to the first painted frame of it. */
export async function measureLoad(
  page: Page,
  text: string,
): Promise<{ ms: number; nodes: number }> {
  await page.waitForFunction(() => typeof window.__weft?.load === 'function');
  const before = await page.evaluate(() => window.__weft?.layouts ?? 0);
  await page.evaluate((t) => {
    const load = window.__weft?.load as ((text: string) => void) | undefined;
    load?.(t);
  }, text);
  await page.waitForFunction((n) => (window.__weft?.layouts ?? 0) > n, before, { timeout: 60_000 });
  return page.evaluate(() => ({
    ms: window.__weft?.lastLoadMs ?? 0,
    nodes: window.__weft?.nodes ?? 0,
  }));
}

/** Drags the canvas for `frames` animation frames; resolves with each frame's duration in ms. */
export async function measurePan(page: Page, frames = 120): Promise<number[]> {
  const pane = await page.locator('.react-flow__pane').boundingBox();
  if (!pane) throw new Error('no canvas');
  const x = pane.x + pane.width / 2;
  const y = pane.y + pane.height / 2;
  // A string, not a function: the bundler's helpers (keepNames) do not exist in the page.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__stop = false;
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (!window.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 0; i < frames; i++) {
    await page.mouse.move(x + Math.sin(i / 10) * 300, y + ((i * 7) % 400) - 200);
  }
  await page.mouse.up();
  return page.evaluate(
    '(() => { window.__stop = true; return window.__frames.slice(1); })()',
  ) as Promise<number[]>;
}

/** A flow of `n` steps: mostly activities, with an `if` every 50 steps (for groups). */
export function bigFlow(n: number): string {
  const lines = ['flow: big', 'steps:'];
  for (let i = 0; i < n; i++) {
    if (i % 50 === 25) {
      lines.push(
        `  - id: s${i}`,
        `    if: "\${ vars.x > ${i} }"`,
        '    then:',
        `      - activity: demo.work`,
        '    else: []',
      );
    } else {
      lines.push(`  - id: s${i}`, '    activity: demo.work', `    input: { n: ${i} }`);
    }
  }
  return `${lines.join('\n')}\n`;
}
