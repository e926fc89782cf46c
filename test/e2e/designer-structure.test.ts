/**
 * Changing a flow's structure on the canvas, in headless Chromium with keys, clicks and real
 * drags: wrapping steps in a parallel or a try writes only the wrapped lines, re-indented; a
 * container dragged onto a place inside itself is refused, with a message, and nothing changes;
 * a container's problem is drawn where its fork diamond does not cover it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './browser';
import { designerText, openFlow } from './designer-app';
import { designerPage, startDesigner } from './designer-session';
import type { ServeHandle } from './serve';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

const WRAP = [
  '# wrap me: comments stay',
  'flow: e2e-wrap',
  'steps:',
  '  - id: check',
  '    activity: orders.check',
  '    input: { orderId: "${ input.orderId }" } # keep this spacing',
  '  - id: note',
  '    log: "checked ${ input.orderId }"',
  '',
  '  - id: ship',
  '    activity: orders.ship',
  '    input: {orderId:   "${ input.orderId }"}',
  '  - id: done',
  '    log: done',
  '',
].join('\n');

const PROBLEMS = [
  'flow: e2e-problems',
  'steps:',
  '  - log: first',
  '  - id: fan',
  '    name: Fan out',
  '    parallel:',
  '      mode: bogus',
  '      branches:',
  '        a:',
  '          - log: one',
  '        b:',
  '          - log: two',
  '  - id: guard',
  '    try:',
  '      - log: inner',
  '    catch:',
  '      - steps: []',
  '    bogusKey: 1',
  '',
].join('\n');

type Box = { x: number; y: number; width: number; height: number };

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const within = (inner: Box, outer: Box) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;

async function fitView(page: Page): Promise<void> {
  await page.evaluate(() =>
    (
      window as unknown as { __weft: { flow: { fitView(): Promise<boolean> } } }
    ).__weft.flow.fitView(),
  );
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );
}

async function centre(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const b = (await page.locator(selector).boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

describe.skipIf(!chromiumAvailable())('changing the structure of a flow on the canvas', () => {
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
    await page?.close();
    page = await designerPage(browser, pageErrors);
  });

  afterAll(async () => {
    expect(pageErrors).toEqual([]);
    await browser?.close();
    await serve?.stop();
  });

  it('wraps a run of steps in a try and one in a parallel, by keys and clicks; Save writes only the wrapped lines, re-indented', async () => {
    const file = join(serve.flowsDir, 'wrap.flow.yaml');
    writeFileSync(file, WRAP);
    await openFlow(page, serve.url, 'wrap.flow.yaml');

    // Keys: select check, extend the selection down to note, Alt+Shift+T.
    await page.click('[data-step-id="check"]');
    await page.keyboard.press('Shift+ArrowDown');
    await page.waitForSelector('[data-selected-run="2"]');
    // Both steps show as selected.
    await expect.poll(() => page.locator('.weft-step.selected').count()).toBe(2);
    await page.keyboard.press('Alt+Shift+T');
    await page.waitForSelector('.weft-step[data-pointer="/steps/0"][data-kind="try"]');
    await page.waitForSelector('[data-step-id="check"][data-pointer="/steps/0/try/0"]');
    await expect(page.locator('.weft-notice').textContent()).resolves.toBe(
      'Wrapped 2 steps in a try: its catch has no steps yet.',
    );

    // Undo takes the wrap back, and redo puts it back, as one edit.
    const wrapped = await designerText(page);
    await page.keyboard.press('Control+z');
    await expect.poll(() => designerText(page)).toBe(WRAP);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => designerText(page)).toBe(wrapped);

    // Clicks: ship, Shift+click done, then the inspector's button.
    await page.click('[data-step-id="ship"]');
    await page.click('[data-step-id="done"]', { modifiers: ['Shift'] });
    await page.waitForSelector('[data-selected-run="2"]');
    await page.click('.weft-inspector button:has-text("Wrap in parallel")');
    await page.waitForSelector(
      '[data-step-id="ship"][data-pointer="/steps/1/parallel/branches/a/0"]',
    );

    await page.click('button[aria-label="Save"]');
    await page.waitForSelector('.weft-file:not([data-dirty])');
    expect(readFileSync(file, 'utf8')).toBe(
      [
        '# wrap me: comments stay',
        'flow: e2e-wrap',
        'steps:',
        '  - try:',
        '      - id: check',
        '        activity: orders.check',
        '        input: { orderId: "${ input.orderId }" } # keep this spacing',
        '      - id: note',
        '        log: "checked ${ input.orderId }"',
        '    catch:',
        '      - steps: []',
        '',
        '  - parallel:',
        '      branches:',
        '        a:',
        '          - id: ship',
        '            activity: orders.ship',
        '            input: {orderId:   "${ input.orderId }"}',
        '          - id: done',
        '            log: done',
        '',
      ].join('\n'),
    );
    // The wrapped flow is a valid one: nothing on the canvas is marked.
    await expect.poll(() => page.locator('[data-invalid="true"]').count()).toBe(0);
  });

  it('wraps the one selected step from the inspector, and Alt+Shift+P wraps in a parallel', async () => {
    writeFileSync(join(serve.flowsDir, 'wrap-one.flow.yaml'), WRAP);
    await openFlow(page, serve.url, 'wrap-one.flow.yaml');
    await page.click('[data-step-id="note"]');
    await page.keyboard.press('Alt+Shift+P');
    await page.waitForSelector(
      '[data-step-id="note"][data-pointer="/steps/1/parallel/branches/a/0"]',
    );
    await page.click('.weft-inspector button:has-text("Wrap in try")');
    await page.waitForSelector(
      '[data-step-id="note"][data-pointer="/steps/1/try/0/parallel/branches/a/0"]',
    );
    expect(await designerText(page)).toContain(
      [
        '  - try:',
        '      - parallel:',
        '          branches:',
        '            a:',
        '              - id: note',
        '                log: "checked ${ input.orderId }"',
        '    catch:',
        '      - steps: []',
        '',
        '  - id: ship',
      ].join('\n'),
    );
  });

  it('refuses to drop a container inside itself, says why, and changes nothing', async () => {
    await openFlow(page, serve.url, 'control.flow.yaml');
    await fitView(page);
    const original = await designerText(page);
    const fan = '.weft-step[data-step-id="fan"]';
    const targets = [
      '[data-insert-list="/steps/3/parallel/branches/a"][data-insert-index="0"]',
      '[data-branch="/steps/3/parallel/branches/b"]',
      '.weft-step[data-step-id="pb"]',
    ];
    for (const target of targets) {
      const head = (await page.locator(`${fan} .weft-step-head`).boundingBox())!;
      const from = { x: head.x + 20, y: head.y + head.height / 2 };
      const to = await centre(page, target);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(from.x + 10, from.y + 10, { steps: 2 });
      await page.mouse.move(to.x, to.y, { steps: 5 });
      // Playwright delivers a drag's dragover with the next move.
      await page.mouse.move(to.x + 1, to.y + 1);
      await page.waitForSelector('.weft-canvas[data-drop-refused="true"]');
      await expect(page.locator('.weft-drop-refused').textContent(), target).resolves.toBe(
        'A step cannot be moved into itself: drop "fan" outside it.',
      );
      await page.mouse.up();
      await page.waitForSelector('.weft-canvas:not([data-dragging]):not([data-drop-refused])');
      await expect(page.locator('.weft-notice').textContent(), target).resolves.toBe(
        'A step cannot be moved into itself: drop "fan" outside it.',
      );
      expect(await designerText(page), target).toBe(original);
      expect(await page.getAttribute(fan, 'data-pointer')).toBe('/steps/3');
    }
    // Outside itself the same drag is a move, as before.
    const head = (await page.locator(`${fan} .weft-step-head`).boundingBox())!;
    const to = await centre(page, '[data-insert-list="/steps"][data-insert-index="0"]');
    await page.mouse.move(head.x + 20, head.y + head.height / 2);
    await page.mouse.down();
    await page.mouse.move(head.x + 30, head.y + 20, { steps: 2 });
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await page.mouse.move(to.x + 1, to.y + 1);
    await page.waitForSelector('.weft-canvas[data-dragging="true"]:not([data-drop-refused])');
    await page.mouse.up();
    await page.waitForSelector(`${fan}[data-pointer="/steps/0"]`);
  });

  it("draws a container's problem in its head row, readable and clear of its fork diamond", async () => {
    writeFileSync(join(serve.flowsDir, 'problems.flow.yaml'), PROBLEMS);
    await openFlow(page, serve.url, 'problems.flow.yaml');
    await page.waitForSelector('.weft-step[data-step-id="guard"][data-invalid="true"]');
    for (const [id, pointer, text] of [
      ['fan', '/steps/1', '"mode" must be one of all, any, race.'],
      ['guard', '/steps/2', 'unknown key "bogusKey".'],
    ] as const) {
      const step = page.locator(`.weft-step[data-step-id="${id}"]`);
      const problem = step.locator('.weft-problem');
      expect(await problem.textContent(), id).toBe(text);
      const seen = await problem.evaluate((el) => {
        const viewport = el.closest('.react-flow__viewport') as HTMLElement;
        const zoom = new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a;
        return {
          px: Number.parseFloat(getComputedStyle(el).fontSize) * zoom,
          truncated: el.scrollWidth > el.clientWidth,
          title: el.getAttribute('title'),
        };
      });
      expect(seen.px, `${id}: readable`).toBeGreaterThanOrEqual(11);
      expect(seen.truncated, `${id}: shown whole`).toBe(false);
      expect(seen.title, id).toMatch(/^WEFT0\d\d: /);
      const box = (await problem.boundingBox())!;
      const fork = (await page
        .locator(`.react-flow__node[data-id="${pointer}#fork"] .weft-fork`)
        .boundingBox())!;
      const label = (await step.locator('.weft-label').boundingBox())!;
      const container = (await step.boundingBox())!;
      expect(overlaps(box, fork), `${id}: clear of the fork diamond`).toBe(false);
      expect(box.y + box.height, `${id}: above the fork diamond`).toBeLessThanOrEqual(fork.y);
      expect(overlaps(box, label), `${id}: beside its label`).toBe(false);
      expect(within(box, container), `${id}: inside its box`).toBe(true);
    }
  });
});
