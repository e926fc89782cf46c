import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

export interface DesignerResult {
  steps: number;
  nodes: number;
  runs: number;
  /** Median ms from handing the text to the app to the first painted frame of its graph. */
  loadAndLayoutMs: number;
  /** Stage times the app reports for the last load (validate, graph, layout), when it does. */
  stagesMs: Record<string, number>;
  /** Frame durations while dragging the canvas. */
  panFrameMs: { median: number; p95: number; frames: number };
}

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
const LOAD_READY = `typeof window.__weft?.load === 'function'`;

async function load(page: Page, text: string): Promise<{ ms: number; nodes: number }> {
  const before = (await page.evaluate('window.__weft?.layouts ?? 0')) as number;
  await page.evaluate(`window.__weft.load(${JSON.stringify(text)})`);
  await page.waitForFunction(`(window.__weft?.layouts ?? 0) > ${before}`, undefined, {
    timeout: 120_000,
  });
  return (await page.evaluate(
    '({ ms: window.__weft.lastLoadMs, nodes: window.__weft.nodes })',
  )) as { ms: number; nodes: number };
}

async function stages(page: Page): Promise<Record<string, number>> {
  return (await page.evaluate(`(() => {
    const out = {};
    for (const k of ['validateMs', 'graphMs', 'layoutMs'])
      if (typeof window.__weft[k] === 'number') out[k] = Math.round(window.__weft[k] * 10) / 10;
    return out;
  })()`)) as Record<string, number>;
}

/** Drags the canvas around; returns each animation frame's duration meanwhile. */
async function pan(page: Page, moves: number): Promise<number[]> {
  const box = await page.locator('.react-flow__pane').boundingBox();
  if (!box) throw new Error('designer bench: no canvas on the page');
  const x = box.x + box.width / 2;
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
    await page.mouse.move(x + Math.sin(i / 8) * 250, y + Math.cos(i / 11) * 200);
  }
  await page.mouse.up();
  return (await page.evaluate(
    '(() => { window.__benchStop = true; return window.__benchFrames.slice(1); })()',
  )) as number[];
}

/** Load-and-layout of a `steps`-step flow in headless Chromium, then frame times while panning. */
export async function benchDesigner(
  server: { address: string; namespace: string },
  steps: number,
  runs: number,
): Promise<DesignerResult> {
  const serve = await startServe(server);
  const browser = await launchChromium();
  try {
    const text = largeFlowText(steps);
    const times: number[] = [];
    let nodes = 0;
    let page: Page | undefined;
    // A fresh page per run: nothing cached from the previous load.
    for (let i = 0; i <= runs; i++) {
      await page?.close();
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(serve.url);
      await page.waitForFunction(LOAD_READY, undefined, { timeout: 60_000 });
      const r = await load(page, text);
      nodes = r.nodes;
      if (i > 0) times.push(r.ms); // the first load warms the browser's caches
    }
    if (!page) throw new Error('designer bench: no page');
    const stagesMs = await stages(page);
    await sleep(500);
    const frames = await pan(page, 150);
    return {
      steps,
      nodes,
      runs,
      loadAndLayoutMs: round(median(times), 1),
      stagesMs,
      panFrameMs: {
        median: round(median(frames), 1),
        p95: round(quantile(frames, 0.95), 1),
        frames: frames.length,
      },
    };
  } finally {
    await browser.close();
    await stopServe(serve);
  }
}
