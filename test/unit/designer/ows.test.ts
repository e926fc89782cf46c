import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertStep } from '../../../designer/src/convert';
import { OWS_READ_ONLY, useDesigner } from '../../../designer/src/store';
import { isOwsText, loadChecker } from '../../../designer/src/validate';
import { validateText } from '../../../designer/src/validate/check';

const GREET = readFileSync(
  new URL('../../integration/ows/fixtures/greet.sw.yaml', import.meta.url),
  'utf8',
);
const JQ_SUBSET = readFileSync(
  new URL('../../fixtures/invalid/ows-jq-subset.sw.yaml', import.meta.url),
  'utf8',
);

const stepIds = () =>
  [...useDesigner.getState().graph.stepIds.values()].filter((id) => !id.includes(':'));

describe('the designer opens a Serverless Workflow (OWS) document', () => {
  beforeAll(loadChecker);

  it('detects it by its `document.dsl`, and not a Weft flow', () => {
    expect(isOwsText(GREET)).toBe(true);
    expect(isOwsText('flow: f\nsteps: []\n')).toBe(false);
  });

  it('draws the Weft flow it converts to, one node per OWS task, read-only', () => {
    useDesigner.getState().open(GREET, { name: 'greet.sw.yaml' });
    const s = useDesigner.getState();
    expect(s.ows).toBe(true);
    expect(s.stale).toBe(false);
    expect(stepIds()).toEqual(
      expect.arrayContaining(['do.0.pick', 'do.1.formal', 'do.3.announce']),
    );
    expect(s.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);

    // A canvas edit has no place in the OWS text: refused, the text unchanged.
    s.edit((doc) => insertStep(doc, '/steps', 0, { log: 'hi' }));
    expect(useDesigner.getState().text).toBe(GREET);
    expect(useDesigner.getState().notice).toEqual({ kind: 'warning', text: OWS_READ_ONLY });
  });

  it('re-converts as the YAML is typed; a conversion error keeps the last graph, positioned', () => {
    useDesigner.getState().open(GREET, { name: 'greet.sw.yaml' });
    const broken = GREET.replace('when: .formal', 'when: ${ reduce .x[] as $i (0; . + $i) }');
    useDesigner.getState().setText(broken, 'editor');
    useDesigner.getState().validate();
    const s = useDesigner.getState();
    expect(s.stale).toBe(true);
    expect(stepIds()).toContain('do.0.pick');
    const d = s.diagnostics.find((x) => x.code === 'WEFT081');
    expect(d).toMatchObject({ line: 11 });
  });

  it('gives the converter diagnostics at their line and column, as `weft validate` does', () => {
    const diagnostics = validateText(JQ_SUBSET, undefined, 'ows-jq-subset.sw.yaml');
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([['WEFT081', 10]]);
  });

  it('says the designer does not read OpenAPI documents (the CLI and server do)', () => {
    const text = `document:
  dsl: '1.0.3'
  namespace: default
  name: pets
  version: '1.0.0'
do:
  - find:
      call: openapi
      with:
        document:
          endpoint: ./petstore.json
        operationId: findPets
`;
    const d = validateText(text, undefined).find((x) => x.code === 'WEFT083');
    expect(d?.message).toContain('the designer does not read OpenAPI documents');
    expect(d).toMatchObject({ line: 10 });
  });
});
