import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './browser';
import { openFlow } from './designer-app';
import { designerPage, startDesigner } from './designer-session';
import type { ServeHandle } from './serve';

/**
 * The designer validates a flow's text in the page, but the server's folder can also hold
 * activities files (`weft.activities.yaml`) whose errors refuse the flow's runs. The Problems
 * pane shows those beside the text's own, named by their file, so a user learns of them before
 * Run is refused.
 */
const FIXTURES = fileURLToPath(new URL('./fixtures/activities', import.meta.url));

describe.skipIf(!chromiumAvailable())(
  "the designer shows the problems of the folder's activities files (headless Chromium)",
  () => {
    let serve: ServeHandle;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      ({ serve, browser } = await startDesigner({ fixtures: FIXTURES, plugins: [] }));
      page = await designerPage(browser, pageErrors);
    });

    afterAll(async () => {
      await browser?.close();
      await serve?.stop();
    });

    const problemsTab = () => page.textContent('[role="tab"]:has-text("Problems")');
    const picker = () => page.locator('select[aria-label="Open a flow from the server"]');
    const folderProblem = () => page.locator('.weft-problems .weft-folder-problem');

    it("lists the subfolder file's error with its file and line, though the flow's text has none", async () => {
      await openFlow(page, serve.url, 'team/greet.flow.yaml');
      const problem = folderProblem();
      await problem.waitFor();
      expect(await problem.getAttribute('data-code')).toBe('WEFT071');
      expect(await problem.locator('.where').textContent()).toBe('team/weft.activities.yaml:4:3');
      expect(await problem.locator('.msg').textContent()).toContain(
        'external activity "team_greet" declares no input schema',
      );
      // It is in another file: nothing in the YAML pane to reveal, and the title says where.
      expect(await problem.getAttribute('title')).toContain('In team/weft.activities.yaml');
      expect(await page.locator('.weft-problems button').count()).toBe(0);
      await expect.poll(problemsTab).toBe('Problems (1)');
      // The server says so at start too: these flows are not served.
      expect(serve.output()).toContain(
        'team/weft.activities.yaml has errors, so 1 flow (team/greet.flow.yaml) is not served',
      );
    });

    it('answers only for flow paths inside the folder, and only to its own pages', async () => {
      const problems = (query: string, headers: Record<string, string> = {}) =>
        fetch(`${serve.url}/api/activities/problems${query}`, { headers });
      const outside = await problems('?flow=../team/greet.flow.yaml');
      expect(outside.status).toBe(400);
      expect(((await outside.json()) as { error: { code: string } }).error.code).toBe(
        'WEFT_API_BAD_PATH',
      );
      expect((await problems('?flow=team/weft.activities.yaml')).status).toBe(400);
      const foreign = await problems('?flow=team/greet.flow.yaml', {
        Origin: 'https://elsewhere.example',
      });
      expect(foreign.status).toBe(403);
      // Without a flow: the folder's own file, which is sound.
      expect(await (await problems('')).json()).toEqual({ ok: true, diagnostics: [] });
      // The manifest for a flow takes the same paths only.
      const manifest = (query: string) => fetch(`${serve.url}/api/activities${query}`);
      expect((await manifest('?flow=../team/greet.flow.yaml')).status).toBe(400);
      expect((await manifest('?flow=team/weft.activities.yaml')).status).toBe(400);
      // A page of another site gets no manifest of a subfolder either.
      const hostile = await fetch(`${serve.url}/api/activities?flow=team/greet.flow.yaml`, {
        headers: { Origin: 'https://elsewhere.example' },
      });
      expect(hostile.status).toBe(403);
    });

    it("shows nothing of it for a flow at the root, which the subfolder's file does not apply to", async () => {
      await picker().selectOption('hello.flow.yaml');
      await page.waitForSelector('p[role="status"]:has-text("No problems.")');
      await expect.poll(problemsTab).toBe('Problems (0)');
    });

    it('drops it once the file is fixed on disk and the flow is opened again', async () => {
      writeFileSync(
        join(serve.flowsDir, 'team', 'weft.activities.yaml'),
        'taskQueue: e2e-go\nactivities:\n  team_greet:\n    input: { type: object }\n',
      );
      await picker().selectOption('team/greet.flow.yaml');
      await page.waitForSelector('[data-step-id="hello"]');
      await expect.poll(() => page.url()).toContain('flow=team%2Fgreet.flow.yaml');
      await page.waitForSelector('p[role="status"]:has-text("No problems.")');
      await expect.poll(problemsTab).toBe('Problems (0)');
      expect(await folderProblem().count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });

    it("checks a subfolder's flow against its folder's activities, and lists them in the palette there only", async () => {
      writeFileSync(
        join(serve.flowsDir, 'team', 'call.flow.yaml'),
        'flow: team-call\nsteps:\n  - id: greet\n    activity: team_greet\n    input: {}\n',
      );
      const teamItem = () => page.locator('[data-palette-item="activity:team_greet"]').count();
      await openFlow(page, serve.url, 'hello.flow.yaml');
      expect(await teamItem()).toBe(0);
      // From the picker, as a user switches folders.
      await page.reload();
      await page.waitForSelector('[data-step-id="hello"]');
      await picker().selectOption('team/call.flow.yaml');
      await page.waitForSelector('[data-step-id="greet"]');
      await expect.poll(teamItem).toBe(1);
      await page.waitForSelector('p[role="status"]:has-text("No problems.")');
      expect(await page.getAttribute('[data-step-id="greet"]', 'data-invalid')).toBeNull();
      await picker().selectOption('hello.flow.yaml');
      await page.waitForSelector('[data-step-id="hello"]');
      await expect.poll(teamItem).toBe(0);
      // Opened by its address, the same.
      await openFlow(page, serve.url, 'team/call.flow.yaml');
      await expect.poll(teamItem).toBe(1);
      await page.waitForSelector('p[role="status"]:has-text("No problems.")');
      expect(pageErrors).toEqual([]);
    });
  },
);
