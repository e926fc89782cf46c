import { describe, expect, it } from 'vitest';
import { useDesigner } from '../../../designer/src/store';
import { loadChecker, loadedChecker } from '../../../designer/src/validate';

// The page loads the validator and the OWS converter in a chunk of their own, after it has drawn
// the flow (designer/src/validate/index.ts). These run before that chunk is there: nothing a user
// opens or asks for may be dropped meanwhile.

const until = async (test: () => boolean) => {
  for (let i = 0; i < 200 && !test(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('before the validator has loaded', () => {
  it('validate() validates once it is there, rather than not at all', async () => {
    expect(loadedChecker()).toBeUndefined();
    useDesigner.getState().open('flow: f\nsteps: [{ id: a }]\n', { name: 'f.flow.yaml' });
    useDesigner.getState().validate();
    expect(useDesigner.getState().diagnostics).toEqual([]);
    await loadChecker();
    await until(() => useDesigner.getState().diagnostics.length > 0);
    expect(useDesigner.getState().diagnostics.length).toBeGreaterThan(0);
  });
});
