/** axe-core in the page: the designer tests' accessibility check. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Serious and critical violations on the page as it is now, one line per element. The source is
 * evaluated rather than added as a script tag, so no page policy can keep it out.
 */
export async function axeViolations(
  page: Page,
  options: Record<string, unknown> = {},
): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    (opts) =>
      (
        window as unknown as {
          axe: { run(ctx: Document, o: unknown): Promise<{ violations: Violation[] }> };
        }
      ).axe
        .run(document, { resultTypes: ['violations'], ...opts })
        .then((r) => r.violations),
    options,
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map(
        (n) =>
          `${v.id} (${v.impact}) ${n.target.join(' ')}: ${(n.failureSummary ?? v.help).replace(/\s+/g, ' ')}`,
      ),
    );
}
