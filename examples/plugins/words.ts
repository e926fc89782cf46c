// A TypeScript activity plugin for the polyglot example (examples/polyglot): the flow there calls
// this activity and two Python ones in the same run. Like the .mjs plugins, it needs no import;
// `weft` loads .ts plugins directly.

interface ShoutInput {
  text: string;
}

export default {
  name: 'words',
  description: 'Text helpers written in TypeScript.',
  activities: [
    {
      name: 'words.shout',
      description: 'Upper-case a text (TypeScript).',
      input: {
        type: 'object',
        required: ['text'],
        additionalProperties: false,
        properties: { text: { type: 'string' } },
      },
      output: {
        type: 'object',
        properties: { text: { type: 'string' }, language: { const: 'typescript' } },
      },
      run({ text }: ShoutInput) {
        return { text: text.toUpperCase(), language: 'typescript' };
      },
    },
  ],
};
