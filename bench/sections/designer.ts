import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { freePort } from '../../interpreter/temporal';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from '../../test/e2e/browser';
import { largeFlowText } from '../flows';
import { median, quantile, round } from '../stats';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'designer', 'dist', 'index.html');

/** One flow size: the four measures of issue 14 §5, each a median over its samples. */
export interface DesignerSize {
  steps: number;
  /** Graph nodes the canvas draws (steps, branches, anchors, forks, joins). */
  nodes: number;
  /** Navigation to `/?flow=<file>` until the frame that paints its graph. */
  navigateMs: number;
  /** One key typed in the YAML pane (a step's name) until the frame that paints the new label. */
  keystrokeMs: number;
  /** Duplicate (Ctrl+D on a selected step) until the frame that paints the re-laid-out graph. */
  canvasEditMs: number;
  /** Frame durations while dragging the canvas at fit view (the whole flow in sight). */
  panFrameMs: { median: number; p95: number; frames: number };
  /** Stage times the app reports for its last redraw (validate, graph, layout), when it does. */
  stagesMs: Record<string, number>;
  samples: { navigate: number[]; keystroke: number[]; canvasEdit: number[] };
}

export interface DesignerResult {
  sizes: DesignerSize[];
  /** Navigations, keystrokes and duplicates per size. */
  runs: { navigate: number; keystroke: number; canvasEdit: number };
  /** 1-minute load average before and after the section: the machine is shared. */
  loadAverage: [number, number];
}

export { DESIGNER_TARGETS, designerTarget } from './designer-targets';

/** Why the designer bench cannot run here, or undefined when it can. */
export function designerUnavailable(): string | undefined {
  if (!chromiumAvailable()) return `no Chromium at ${CHROMIUM_PATH} (set WEFT_CHROMIUM)`;
  if (!existsSync(DIST)) return 'designer/dist is not built (npm run build:designer)';
  return undefined;
}

interface Serve {
  url: string;
  child: ChildProcess;
  dir: string;
}

/** The real `weft serve` over an empty flows folder, on the bench's Temporal server. */
async function startServe(server: { address: string; namespace: string }): Promise<Serve> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-flows-'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'weft.mjs'), 'serve', '--no-worker', '--flows', dir, '--port', String(port)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_NAMESPACE: server.namespace,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`weft serve exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`weft serve did not answer in 2 minutes: ${stderr}`);
    await sleep(250);
  }
  return { url, child, dir };
}

async function stopServe(s: Serve): Promise<void> {
  if (s.child.exitCode === null) {
    const exited = new Promise((done) => s.child.once('close', done));
    s.child.kill('SIGTERM');
    const timer = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(s.dir, { recursive: true, force: true });
}

// Page scripts are strings: functions would carry tsx's helpers, which do not exist in the page.

/**
 * Installed before the app: remembers when each key went down (the event's own time stamp), and
 * offers `__benchUntil(test)`, which resolves on the first animation frame where `test()` holds,
 * with that frame's time: the DOM it tested is what the frame paints.
 */
const INIT = `(() => {
  window.__benchKeyAt = 0;
  window.addEventListener('keydown', (e) => { window.__benchKeyAt = e.timeStamp; }, true);
  window.__benchUntil = (test, timeout = 120000) => new Promise((resolve, reject) => {
    const until = performance.now() + timeout;
    const tick = () => {
      let ok = false;
      try { ok = test(); } catch {}
      if (ok) resolve(performance.now());
      else if (performance.now() > until) reject(new Error('bench: timed out waiting for ' + test));
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  // The canvas's node count, as the app renders it (every node is not in the DOM above 1,000).
  window.__benchNodes = () => Number(document.querySelector('.weft-canvas')?.dataset.nodeCount ?? 0);
})()`;

/** Waits until the page's main thread is idle: validation after an edit runs there. */
async function settle(page: Page, ms = 700): Promise<void> {
  await sleep(ms);
  await page.evaluate(
    'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))))',
  );
  await sleep(150);
}

async function stages(page: Page): Promise<Record<string, number>> {
  return (await page.evaluate(`(() => {
    const out = {};
    for (const k of ['validateMs', 'graphMs', 'layoutMs'])
      if (typeof window.__weft?.[k] === 'number') out[k] = Math.round(window.__weft[k] * 10) / 10;
    return out;
  })()`)) as Record<string, number>;
}

/** Opens the flow by its URL; resolves with ms from navigation start to its painted graph. */
async function navigate(
  page: Page,
  url: string,
  file: string,
): Promise<{ ms: number; nodes: number }> {
  await page.goto(`${url}/?flow=${encodeURIComponent(file)}`);
  // The empty flow has two nodes (Start, End); performance.now() counts from navigation start.
  const ms = (await page.evaluate(
    'window.__benchUntil(() => window.__benchNodes() > 2)',
  )) as number;
  const nodes = (await page.evaluate('window.__benchNodes()')) as number;
  return { ms, nodes };
}

/** Starts waiting for `test` in the page, runs `act`, resolves with ms from its key to the paint. */
async function timedKey(page: Page, test: string, act: () => Promise<void>): Promise<number> {
  await page.evaluate('window.__benchKeyAt = 0');
  const painted = page.evaluate(`window.__benchUntil(() => window.__benchKeyAt > 0 && (${test}))`);
  await act();
  const at = (await painted) as number;
  return at - ((await page.evaluate('window.__benchKeyAt')) as number);
}

/** Types after the first step's name in the YAML pane, then deletes it again, `runs` times each. */
async function keystrokes(page: Page, runs: number): Promise<number[]> {
  const label = `document.querySelector('[data-step-id="step0"] .weft-label')?.textContent`;
  await page.waitForFunction(`${label} === 'Step 0'`, undefined, { timeout: 60_000 });
  await page
    .locator('.cm-line', { hasText: /^\s*name: Step 0$/ })
    .first()
    .click();
  await page.keyboard.press('End');
  await settle(page);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const typed = i % 2 === 0;
    out.push(
      await timedKey(page, `${label} === ${typed ? "'Step 0x'" : "'Step 0'"}`, () =>
        page.keyboard.press(typed ? 'x' : 'Backspace'),
      ),
    );
    await settle(page);
  }
  return out;
}

/** Selects the first step, duplicates it (timed) and undoes that (not timed), `runs` times. */
async function duplicates(page: Page, runs: number): Promise<number[]> {
  await page.locator('[data-step-id="step0"]').first().click();
  await page.waitForFunction(
    `document.querySelector('[data-step-id="step0"]')?.classList.contains('selected')`,
  );
  await settle(page);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = (await page.evaluate('window.__benchNodes()')) as number;
    out.push(
      await timedKey(page, `window.__benchNodes() > ${before}`, () =>
        page.keyboard.press('Control+d'),
      ),
    );
    await settle(page);
    await page.keyboard.press('Control+z');
    await page.waitForFunction(`window.__benchNodes() === ${before}`, undefined, {
      timeout: 60_000,
    });
    // Undo selects the duplicated step back; the next duplicate copies the first step again.
    await page.locator('[data-step-id="step0"]').first().click();
    await settle(page);
  }
  return out;
}

/** Fits the whole flow into view, then drags the canvas; returns each frame's duration. */
async function panAtFitView(page: Page, moves: number): Promise<number[]> {
  await page.evaluate('window.__weft.flow.fitView()');
  await settle(page, 500);
  const box = await page.locator('.react-flow__pane').boundingBox();
  if (!box) throw new Error('designer bench: no canvas on the page');
  // Left of the (narrow, centred) flow: a press on a step would start moving the step.
  const x = box.x + box.width * 0.2;
  const y = box.y + box.height / 2;
  await page.evaluate(`(() => {
    window.__benchFrames = [];
    window.__benchStop = false;
    let last = performance.now();
    const tick = (now) => {
      window.__benchFrames.push(now - last);
      last = now;
      if (!window.__benchStop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 0; i < moves; i++) {
    await page.mouse.move(x + Math.sin(i / 8) * 150, y + Math.cos(i / 11) * 200);
  }
  await page.mouse.up();
  return (await page.evaluate(
    '(() => { window.__benchStop = true; return window.__benchFrames.slice(1); })()',
  )) as number[];
}

async function benchSize(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  serve: Serve,
  steps: number,
  runs: DesignerResult['runs'],
): Promise<DesignerSize> {
  const file = `bench-${steps}.flow.yaml`;
  writeFileSync(join(serve.dir, file), largeFlowText(steps));
  const navigations: number[] = [];
  let nodes = 0;
  let page: Page | undefined;
  // A fresh page per navigation; the first warms the browser's caches and is not counted.
  for (let i = 0; i <= runs.navigate; i++) {
    await page?.close();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript(INIT);
    const r = await navigate(page, serve.url, file);
    nodes = r.nodes;
    if (i > 0) navigations.push(r.ms);
    await settle(page, 300);
  }
  if (!page) throw new Error('designer bench: no page');
  try {
    await settle(page, 1500);
    const keys = await keystrokes(page, runs.keystroke);
    const edits = await duplicates(page, runs.canvasEdit);
    const stagesMs = await stages(page);
    const frames = await panAtFitView(page, 150);
    return {
      steps,
      nodes,
      navigateMs: round(median(navigations), 1),
      keystrokeMs: round(median(keys), 1),
      canvasEditMs: round(median(edits), 1),
      panFrameMs: {
        median: round(median(frames), 1),
        p95: round(quantile(frames, 0.95), 1),
        frames: frames.length,
      },
      stagesMs,
      samples: {
        navigate: navigations.map((v) => round(v, 1)),
        keystroke: keys.map((v) => round(v, 1)),
        canvasEdit: edits.map((v) => round(v, 1)),
      },
    };
  } finally {
    await page.close();
  }
}

/** Issue 14 §5's four measures in headless Chromium, for each flow size. */
export async function benchDesigner(
  server: { address: string; namespace: string },
  sizes: number[],
  runs: DesignerResult['runs'],
): Promise<DesignerResult> {
  const load0 = loadavg()[0] ?? 0;
  const serve = await startServe(server);
  const browser = await launchChromium();
  try {
    const out: DesignerSize[] = [];
    for (const steps of sizes) out.push(await benchSize(browser, serve, steps, runs));
    return {
      sizes: out,
      runs,
      loadAverage: [round(load0, 2), round(loadavg()[0] ?? 0, 2)],
    };
  } finally {
    await browser.close();
    await stopServe(serve);
  }
}
