import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useDesigner } from '../../../designer/src/store';
import { loadChecker } from '../../../designer/src/validate';

// The page loads the validator and the OWS converter in a chunk of their own, after it has drawn
// the flow (designer/src/validate/index.ts). These run before that chunk is there: nothing a user
// opens or asks for may be dropped meanwhile.
const GREET = readFileSync(
  new URL('../../integration/ows/fixtures/greet.sw.yaml', import.meta.url),
  'utf8',
);

const until = async (test: () => boolean) => {
  for (let i = 0; i < 200 && !test(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('before the OWS converter has loaded', () => {
  it('an OWS document opened meanwhile is drawn once the converter is there', async () => {
    useDesigner.getState().open(GREET, { name: 'greet.sw.yaml' });
    expect(useDesigner.getState().ows).toBe(true);
    const opened = useDesigner.getState().loadSeq;
    await loadChecker();
    await until(() => useDesigner.getState().graph.stepIds.size > 0);
    // As a newly opened flow, so the canvas fits the view to it (it fitted the placeholder).
    expect(useDesigner.getState().loadSeq).toBe(opened + 1);
    const ids = [...useDesigner.getState().graph.stepIds.values()];
    expect(ids).toContain('do.0.pick');
    expect(useDesigner.getState().stale).toBe(false);
  });
});
