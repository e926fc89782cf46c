/**
 * The canvas under a real mouse, on every example: each "+" is the top element where it is drawn
 * and inserts at the YAML path it stands for; branches follow the source; labels say what a step
 * does and stay readable at the opening zoom; kind icons are SVG.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './browser';
import { designerText, openFlow } from './designer-app';
import { startDesigner } from './designer-session';
import { bigFlow } from './perf';
import type { ServeHandle } from './serve';

const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));
const FLOWS = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.flow.yaml'))
  .sort();

interface Plus {
  list: string;
  index: number;
}

/** The "+" buttons of the canvas, as the YAML positions they stand for. */
async function plusButtons(page: Page): Promise<Plus[]> {
  return page.$$eval('[data-insert-list]', (els) =>
    els.map((e) => ({
      list: e.getAttribute('data-insert-list') ?? '',
      index: Number(e.getAttribute('data-insert-index')),
    })),
  );
}

/**
 * Pans the "+" into the middle of the pane (when it is not well inside it), then says where its centre is, which element the
 * mouse would hit there, and whether the centre sits between the steps it inserts between (and
 * inside its branch box).
 */
async function inspectPlus(page: Page, p: Plus) {
  await page.evaluate(async ({ list, index }) => {
    const w = window as unknown as {
      __weft: {
        flow: {
          screenToFlowPosition(p: { x: number; y: number }): { x: number; y: number };
          setCenter(x: number, y: number, o: { zoom: number; duration: number }): Promise<void>;
          getZoom(): number;
        };
      };
    };
    const btn = document.querySelector(
      `[data-insert-list="${list}"][data-insert-index="${index}"]`,
    )!;
    const r = btn.getBoundingClientRect();
    const pane = document.querySelector('.weft-canvas .react-flow')!.getBoundingClientRect();
    const margin = 40;
    const inView =
      r.left > pane.left + margin &&
      r.right < pane.right - margin &&
      r.top > pane.top + margin &&
      r.bottom < pane.bottom - margin;
    if (inView) return;
    const f = w.__weft.flow;
    const at = f.screenToFlowPosition({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
    await f.setCenter(at.x, at.y, { zoom: f.getZoom(), duration: 0 });
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  }, p);
  return page.evaluate(({ list, index }) => {
    const btn = document.querySelector(
      `[data-insert-list="${list}"][data-insert-index="${index}"]`,
    )!;
    const r = btn.getBoundingClientRect();
    const x = r.x + r.width / 2;
    const y = r.y + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    const box = (sel: string) => document.querySelector(sel)?.getBoundingClientRect();
    const before = box(`.weft-step[data-pointer="${list}/${index - 1}"]`);
    const after = box(`.weft-step[data-pointer="${list}/${index}"]`);
    const branch = box(`[data-branch="${list}"]`);
    const within = (b: DOMRect | undefined) =>
      b === undefined || (x >= b.left && x <= b.right && y >= b.top && y <= b.bottom);
    const between =
      (before === undefined || (y >= before.bottom && x >= before.left && x <= before.right)) &&
      (after === undefined || (y <= after.top && x >= after.left && x <= after.right));
    return {
      x,
      y,
      onTop: hit !== null && (hit === btn || btn.contains(hit)),
      hit: hit ? `${hit.tagName}.${hit.className}` : 'nothing',
      between: between && within(branch),
    };
  }, p);
}

/** The value at a JSON pointer of the flow the designer holds. */
async function valueAt(page: Page, pointer: string): Promise<unknown> {
  return page.evaluate((ptr) => {
    const w = window as unknown as { __weft: { store: { getState(): { value: unknown } } } };
    let v = w.__weft.store.getState().value as Record<string, unknown> | undefined;
    for (const raw of ptr.split('/').slice(1)) {
      const t = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      v = v?.[t] as Record<string, unknown> | undefined;
    }
    return v;
  }, pointer);
}

async function layoutSeq(page: Page): Promise<number> {
  return Number(await page.getAttribute('.weft-canvas', 'data-layout-seq'));
}

/** Opens `text` through the test hook and waits for its graph. */
async function load(page: Page, text: string, name: string): Promise<void> {
  const seq = await layoutSeq(page);
  await page.evaluate(
    ([t, n]) =>
      (window as unknown as { __weft: { load(t: string, n: string): void } }).__weft.load(t, n),
    [text, name] as const,
  );
  await expect.poll(() => layoutSeq(page)).toBeGreaterThan(seq);
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );
}

/** Every text on the canvas with its rendered size in CSS px (font size times zoom). */
async function textSizes(page: Page): Promise<{ text: string; px: number; visible: boolean }[]> {
  return page.evaluate(() => {
    const viewport = document.querySelector('.weft-canvas .react-flow__viewport') as HTMLElement;
    const zoom = new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a;
    const pane = document.querySelector('.weft-canvas .react-flow')!.getBoundingClientRect();
    const out: { text: string; px: number; visible: boolean }[] = [];
    for (const el of viewport.querySelectorAll('*')) {
      const own = [...el.childNodes].some((c) => c.nodeType === 3 && c.textContent?.trim());
      if (!own) continue;
      const r = el.getBoundingClientRect();
      out.push({
        text: el.textContent?.trim() ?? '',
        px: Number.parseFloat(getComputedStyle(el).fontSize) * zoom,
        visible:
          r.bottom > pane.top && r.top < pane.bottom && r.right > pane.left && r.left < pane.right,
      });
    }
    return out;
  });
}

describe.skipIf(!chromiumAvailable())(
  'the designer canvas under the mouse, on every example',
  () => {
    let serve: ServeHandle;
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      ({ serve, browser } = await startDesigner({
        fixtures: EXAMPLES,
        plugins: [join(EXAMPLES, 'plugins/shop.mjs'), join(EXAMPLES, 'plugins/compute.mjs')],
      }));
      page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
      page.setDefaultTimeout(60_000);
    });

    afterAll(async () => {
      await browser?.close();
      await serve?.stop();
    });

    for (const file of FLOWS) {
      it(`${file}: every "+" is on top where it is drawn and inserts at the path it stands for`, async () => {
        await openFlow(page, serve.url, file);
        const original = await designerText(page);
        const buttons = await plusButtons(page);
        expect(buttons.length).toBeGreaterThan(0);
        for (const p of buttons) {
          const where = `${p.list} at ${p.index}`;
          const seen = await inspectPlus(page, p);
          expect(seen.hit, `"+" ${where} is covered`).toMatch(/^BUTTON\.weft-insert/);
          expect(seen.onTop, where).toBe(true);
          expect(seen.between, `"+" ${where} is drawn between the steps it inserts between`).toBe(
            true,
          );
          const before = (await valueAt(page, p.list)) as unknown[] | undefined;
          await page.mouse.click(seen.x, seen.y);
          await page.waitForSelector(
            `[data-insert-list="${p.list}"][data-insert-index="${p.index}"][aria-pressed="true"]`,
          );
          await page.click('[data-palette-item="log"]');
          await expect
            .poll(() => valueAt(page, p.list).then((l) => (l as unknown[])?.length))
            .toBe((before?.length ?? 0) + 1);
          const after = (await valueAt(page, p.list)) as Record<string, unknown>[];
          expect(Object.keys(after[p.index]!), where).toContain('log');
          expect(
            after.filter((_, i) => i !== p.index),
            where,
          ).toEqual(before ?? []);
          await load(page, original, file);
        }
      });
    }

    it('draws branches in source order, and a try as a sequence of regions', async () => {
      const order: Record<string, string[]> = {
        'approval.flow.yaml': ['/steps/0/then', '/steps/0/else'],
        'order-fulfilment.flow.yaml': [
          '/steps/6/parallel/branches/email',
          '/steps/6/parallel/branches/log',
        ],
      };
      for (const [file, branches] of Object.entries(order)) {
        await openFlow(page, serve.url, file);
        const boxes = await Promise.all(
          branches.map((b) => page.locator(`[data-branch="${b}"]`).boundingBox()),
        );
        expect(boxes[0]!.x + boxes[0]!.width, file).toBeLessThanOrEqual(boxes[1]!.x);
      }
      await openFlow(page, serve.url, 'retries-and-timeouts.flow.yaml');
      const regions = ['/steps/3/try', '/steps/3/catch/0/steps', '/steps/3/finally'];
      const boxes = await Promise.all(
        regions.map((b) => page.locator(`[data-branch="${b}"]`).boundingBox()),
      );
      for (let i = 1; i < boxes.length; i++) {
        const [a, b] = [boxes[i - 1]!, boxes[i]!];
        expect(a.y + a.height, `${regions[i]} below ${regions[i - 1]}`).toBeLessThanOrEqual(b.y);
        expect(Math.abs(a.x - b.x), 'stacked, not side by side').toBeLessThan(1);
      }
    });

    it('draws every edge downwards from the diamonds, and empty branches as boxes', async () => {
      for (const file of FLOWS) {
        await openFlow(page, serve.url, file);
        // A kink beside a diamond is a path that climbs back up before it goes down.
        const climbing = await page.$$eval('.weft-canvas .react-flow__edge-path', (paths) =>
          paths.flatMap((p) => {
            const ys = (p.getAttribute('d') ?? '')
              .split(/[MLQ ]+/)
              .filter(Boolean)
              .map((xy) => Number(xy.split(',')[1]));
            return ys.some((y, i) => i > 0 && y < ys[i - 1]! - 0.5) ? [p.getAttribute('d')] : [];
          }),
        );
        expect(climbing, file).toEqual([]);
        const branches = await page.$$eval('.weft-canvas [data-branch]', (els) =>
          els.map((e) => ({
            branch: e.getAttribute('data-branch'),
            width: e.getBoundingClientRect().width,
          })),
        );
        expect(
          branches.filter((b) => b.width < 100),
          file,
        ).toEqual([]);
      }
    });

    it('labels a step by its name, else by its kind and key argument; the id only on hover', async () => {
      const text = [
        'flow: labels',
        'signals:',
        '  decide: {}',
        'steps:',
        '  - set: { status: ok }',
        '  - sleep: 5s',
        '  - wait: { signal: decide, timeout: 5s }',
        '  - activity: demo.check',
        '    input: { amount: 1 }',
        '  - name: Say hello',
        '    log: hello',
      ].join('\n');
      await load(page, text, 'labels.flow.yaml');
      const labels = await page.$$eval('.weft-step .weft-label', (els) =>
        els.map((e) => e.textContent),
      );
      expect(labels).toEqual([
        'set status',
        'sleep 5s',
        'wait decide ≤ 5s',
        'demo.check',
        'Say hello',
      ]);
      expect(await page.getAttribute('[data-step-id="steps.1"]', 'title')).toContain('id: steps.1');
      expect(await page.textContent('[data-step-id="steps.1"]')).not.toContain('steps.1');
    });

    it('opens every example, and a 300-step flow at its start, with no label below 11 CSS px', async () => {
      for (const file of FLOWS) {
        await openFlow(page, serve.url, file);
        await page.evaluate(
          () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
        );
        const small = (await textSizes(page)).filter((t) => t.px < 11);
        expect(small, file).toEqual([]);
      }
      await load(page, bigFlow(300), 'big.flow.yaml');
      const sizes = await textSizes(page);
      expect(sizes.filter((t) => t.px < 11)).toEqual([]);
      expect(sizes.find((t) => t.text === 'Start')?.visible).toBe(true);
    });

    it('the minimap frames what is visible; a click on it shows that part, the wheel zooms', async () => {
      await openFlow(page, serve.url, 'order-fulfilment.flow.yaml');
      await load(page, bigFlow(300), 'big.flow.yaml');
      const minimap = page.getByRole('img', { name: /^Minimap/ });
      await expect.poll(() => minimap.count()).toBe(1);
      const viewport = () =>
        page.evaluate(() =>
          (
            window as unknown as {
              __weft: { flow: { getViewport(): { x: number; y: number; zoom: number } } };
            }
          ).__weft.flow.getViewport(),
        );
      const frame = () => page.locator('.weft-minimap-frame').boundingBox();
      // The flow opens at its start: the frame sits at the top of the minimap.
      const map = (await minimap.boundingBox())!;
      const top = (await frame())!;
      expect(top.y).toBeLessThan(map.y + map.height / 3);
      expect(await page.locator('[data-step-id="s0"]').count()).toBe(1);

      // A click near the bottom of the minimap brings the end of the flow into view.
      await page.mouse.click(map.x + map.width / 2, map.y + map.height - 8);
      await expect.poll(async () => (await viewport()).y).toBeLessThan(-1000);
      await expect.poll(() => page.locator('[data-step-id="s299"]').count()).toBe(1);
      const bottom = (await frame())!;
      expect(bottom.y).toBeGreaterThan(top.y + map.height / 2);

      // The wheel over the minimap zooms the canvas, and the frame grows with what is visible.
      const zoom = (await viewport()).zoom;
      await page.mouse.move(map.x + map.width / 2, map.y + map.height / 2);
      await page.mouse.wheel(0, 200);
      await expect.poll(async () => (await viewport()).zoom).toBeLessThan(zoom);
      await expect.poll(async () => (await frame())!.height).toBeGreaterThan(bottom.height);
    });

    it('panning a big flow zoomed far out moves one picture of its nodes, then gives them back', async () => {
      await openFlow(page, serve.url, 'order-fulfilment.flow.yaml');
      await load(page, bigFlow(300), 'big.flow.yaml');
      await page.evaluate(() =>
        (
          window as unknown as { __weft: { flow: { fitView(): Promise<boolean> } } }
        ).__weft.flow.fitView(),
      );
      const canvas = page.locator('.weft-canvas');
      await expect.poll(() => canvas.getAttribute('data-far')).toBe('true');
      const x0 = await page.evaluate(
        () =>
          (
            window as unknown as { __weft: { flow: { getViewport(): { x: number } } } }
          ).__weft.flow.getViewport().x,
      );
      const pane = (await page.locator('.react-flow__pane').boundingBox())!;
      // Left of the narrow flow: a press on a step would not pan.
      const at = { x: pane.x + pane.width * 0.15, y: pane.y + pane.height / 2 };
      await page.mouse.move(at.x, at.y);
      await page.mouse.down();
      await page.mouse.move(at.x + 40, at.y + 10, { steps: 4 });
      await expect.poll(() => canvas.getAttribute('data-panning')).toBe('true');
      expect(await page.locator('.react-flow__nodes').isVisible()).toBe(false);
      const drawn = await page.evaluate(() => {
        const c = document.querySelector<HTMLCanvasElement>('.weft-pan-snapshot')!;
        const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) painted++;
        return { visible: getComputedStyle(c).display !== 'none', painted };
      });
      expect(drawn.visible).toBe(true);
      expect(drawn.painted).toBeGreaterThan(100);
      await page.mouse.move(at.x + 120, at.y + 20, { steps: 4 });
      await page.mouse.up();
      await expect.poll(() => canvas.getAttribute('data-panning')).toBe(null);
      expect(await page.locator('.react-flow__nodes').isVisible()).toBe(true);
      const x1 = await page.evaluate(
        () =>
          (
            window as unknown as { __weft: { flow: { getViewport(): { x: number } } } }
          ).__weft.flow.getViewport().x,
      );
      expect(x1 - x0).toBeCloseTo(120, -1);
      // Every node is back where it was, under the pointer again.
      const hit = await page.evaluate(() => {
        const step = document.querySelector('.weft-step:not(.container)[data-step-id]')!;
        const r = step.getBoundingClientRect();
        const under = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return {
          id: step.getAttribute('data-step-id'),
          under: under?.closest('[data-step-id]')?.getAttribute('data-step-id'),
        };
      });
      expect(hit.under).toBe(hit.id);
    });

    it('draws kind icons as SVG, not font glyphs', async () => {
      for (const file of [
        'order-fulfilment.flow.yaml',
        'retries-and-timeouts.flow.yaml',
        'approval.flow.yaml',
      ]) {
        await openFlow(page, serve.url, file);
        const icons = await page.$$eval('.weft-step .weft-icon', (els) =>
          els.map((e) => ({
            tag: e.tagName.toLowerCase(),
            text: e.textContent ?? '',
            shapes: e.querySelectorAll('path, circle, rect').length,
          })),
        );
        expect(icons.length).toBeGreaterThan(0);
        for (const icon of icons) {
          expect(icon).toMatchObject({ tag: 'svg', text: '' });
          expect(icon.shapes).toBeGreaterThan(0);
        }
      }
    });
    it('moves a step by dragging: into a branch, then out onto the pane; targets highlight', async () => {
      await openFlow(page, serve.url, 'order-fulfilment.flow.yaml');
      // Zoomed out so both ends of the drag are on screen.
      await page.evaluate(() =>
        (
          window as unknown as { __weft: { flow: { fitView(): Promise<boolean> } } }
        ).__weft.flow.fitView(),
      );
      await page.evaluate(
        () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
      );
      const steps = (await valueAt(page, '/steps')) as unknown[];
      const moved = steps[1];
      const email = '/steps/6/parallel/branches/email';
      const emailBefore = (await valueAt(page, email)) as unknown[];
      const centre = async (selector: string) => {
        const b = (await page.locator(selector).boundingBox())!;
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      };
      const from = await centre('.weft-step[data-pointer="/steps/1"]');
      const plus = `[data-insert-list="${email}"][data-insert-index="0"]`;
      const to = await centre(plus);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(from.x + 10, from.y + 10, { steps: 2 });
      await page.mouse.move(to.x, to.y, { steps: 5 });
      // Playwright delivers a drag's dragover with the next move.
      await page.mouse.move(to.x + 1, to.y + 1);
      await page.waitForSelector('.weft-canvas[data-dragging="true"]');
      await page.waitForSelector(`${plus}.over`);
      await page.mouse.up();
      await page.waitForSelector('.weft-canvas:not([data-dragging])');
      // The flow lost a step before the parallel, so the branch is now under /steps/5.
      const emailAfter = '/steps/5/parallel/branches/email';
      await expect.poll(() => valueAt(page, emailAfter)).toEqual([moved, ...emailBefore]);
      expect(((await valueAt(page, '/steps')) as unknown[]).length).toBe(steps.length - 1);

      const back = await centre(`.weft-step[data-pointer="${emailAfter}/0"]`);
      const pane = (await page.locator('.weft-canvas .react-flow__pane').boundingBox())!;
      await page.mouse.move(back.x, back.y);
      await page.mouse.down();
      await page.mouse.move(back.x + 10, back.y + 10, { steps: 2 });
      await page.mouse.move(pane.x + 12, pane.y + pane.height / 3, { steps: 5 });
      await page.mouse.move(pane.x + 13, pane.y + pane.height / 3);
      await page.mouse.up();
      await expect.poll(() => valueAt(page, emailAfter)).toEqual(emailBefore);
      const after = (await valueAt(page, '/steps')) as unknown[];
      expect(after).toHaveLength(steps.length);
      expect(after.at(-1)).toEqual(moved);
    });
  },
);
