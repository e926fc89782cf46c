import { describe, expect, it } from 'vitest';
import { badFlowName, flowPathFor, newFlowText } from '../../../designer/src/run';
import { validateText } from '../../../designer/src/validate/check';

describe('New flow and Save as names', () => {
  it('a name becomes <name>.flow.yaml; a name with a flow extension stays', () => {
    expect(flowPathFor('refund')).toBe('refund.flow.yaml');
    expect(flowPathFor('billing/refund')).toBe('billing/refund.flow.yaml');
    expect(flowPathFor('refund.flow.json')).toBe('refund.flow.json');
  });

  it('Save as keeps a Serverless Workflow name (.sw.yaml), which the server folder lists too', () => {
    expect(flowPathFor('greet.sw.yaml')).toBe('greet.sw.yaml');
    expect(flowPathFor('ows/greet.sw.json')).toBe('ows/greet.sw.json');
    expect(badFlowName('ows/greet.sw.yml')).toBeUndefined();
    // Only the OWS names: anything else still becomes a .flow.yaml.
    expect(flowPathFor('greet.sw.txt')).toBe('greet.sw.txt.flow.yaml');
  });

  it('refuses names outside the folder and names a flow cannot have', () => {
    expect(badFlowName('../up')).toBe('Use a name inside the flows folder.');
    expect(badFlowName('a//b')).toBe('Use a name inside the flows folder.');
    expect(badFlowName('9lives')).toMatch(/^Use letters/);
    expect(badFlowName('has space')).toMatch(/^Use letters/);
    expect(badFlowName('billing/refund-2')).toBeUndefined();
  });

  it('the template is a valid flow in block style, named after the file', () => {
    const text = newFlowText('billing/refund');
    expect(text).toMatch(/^flow: refund\n/);
    expect(text).not.toMatch(/[[{]/);
    expect(validateText(text, { activities: [] }).filter((d) => d.severity === 'error')).toEqual(
      [],
    );
  });

  it('a .flow.json name gets the template as JSON', () => {
    const text = newFlowText('refund.flow.json');
    expect(JSON.parse(text)).toMatchObject({ flow: 'refund', steps: [{ id: 'start' }] });
    expect(validateText(text, { activities: [] }).filter((d) => d.severity === 'error')).toEqual(
      [],
    );
  });
});
