import { describe, expect, it } from 'vitest';
import { paletteItems } from '../../../designer/src/components/templates';

describe('the palette', () => {
  it('offers external activities like plugin ones, saying which queue provides them', () => {
    const items = paletteItems([
      { name: 'words.shout', description: 'Upper-case a text.', input: { type: 'object' } },
      {
        name: 'count_letter',
        description: 'Count a letter (Python).',
        taskQueue: 'polyglot-python',
        external: { file: 'weft.activities.yaml', args: ['text', 'letter'] },
        input: {
          type: 'object',
          required: ['text', 'letter'],
          properties: { text: { type: 'string' }, letter: { type: 'string' } },
        },
      },
    ]).filter((i) => i.group === 'activity');
    expect(items.map((i) => [i.label, i.description])).toEqual([
      ['words.shout', 'Upper-case a text.'],
      [
        'count_letter',
        'Count a letter (Python). (external: a worker on task queue polyglot-python provides it)',
      ],
    ]);
    // The inserted step gets the same input skeleton a plugin activity's schema gives.
    expect(items[1]?.step).toEqual({
      activity: 'count_letter',
      input: { text: '<text>', letter: '<letter>' },
    });
  });
});
