/** What every designer test starts with: weft serve on the tests' Temporal server, and Chromium. */
import type { Browser, Page } from 'playwright-core';
import { testServer } from '../helpers';
import { launchChromium } from './browser';
import { ensureDesignerBuilt } from './designer-app';
import { type ServeHandle, startServe } from './serve';

export async function startDesigner(options: {
  fixtures: string;
  plugins: string[];
}): Promise<{ serve: ServeHandle; browser: Browser }> {
  ensureDesignerBuilt();
  const temporal = testServer();
  const serve = await startServe({
    ...options,
    env: { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace },
  });
  return { serve, browser: await launchChromium() };
}

/** A page the size the designer tests assume, collecting the page's uncaught errors. */
export async function designerPage(browser: Browser, pageErrors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  // Two shared cores: give the page room before a wait counts as a failure.
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}
