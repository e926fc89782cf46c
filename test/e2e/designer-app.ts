/** Page helpers for the designer tests: the stable hooks (data-step-id...) and the store. */
import type { Page } from 'playwright-core';

export { designerStale, ensureDesignerBuilt } from '../helpers/designer-build';

export async function stepIds(page: Page): Promise<string[]> {
  return page.$$eval('[data-step-id]', (els) =>
    els.map((e) => e.getAttribute('data-step-id') ?? ''),
  );
}

/** The flow text the designer holds (what Save writes). */
export async function designerText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const store = (window as unknown as { __weft: { store: { getState(): { text: string } } } })
      .__weft.store;
    return store.getState().text;
  });
}

/** The text shown in the YAML pane. */
export async function editorText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const lines = [...document.querySelectorAll('.weft-yaml .cm-line')];
    return lines.map((l) => l.textContent ?? '').join('\n');
  });
}

/** Opens `/?flow=<path>` and waits until the graph is laid out and the editor is there. */
export async function openFlow(page: Page, base: string, path: string): Promise<void> {
  await page.goto(`${base}/?flow=${encodeURIComponent(path)}`);
  await page.waitForSelector('[data-step-id]');
  // The editor and the inspector load after the graph is painted (designer/src/components/deferred.tsx).
  await page.waitForSelector('.weft-yaml .cm-content');
}
