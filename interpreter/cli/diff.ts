import { formatDiagnostic } from '../dsl';
import {
  diffFlows,
  formatDiffMarkdown,
  formatDiffText,
  reviewFlowFile,
  reviewGraph,
  toMermaid,
} from '../review';
import { parseCommand } from './client-args';
import { type Command, EXIT, UsageError } from './command';

const FORMATS = ['text', 'json', 'markdown'] as const;

const command: Command = {
  summary:
    'Say what changed between two versions of a flow: steps added, removed, moved and changed, flow settings, and what it means for running flows.',
  usage: 'weft diff <old file> <new file> [--format text|json|markdown]',
  async run(args) {
    const { values, positionals } = parseCommand({
      args,
      allowPositionals: true,
      options: { format: { type: 'string', default: 'text' } },
    });
    if (positionals.length !== 2) throw new UsageError('expected <old file> <new file>');
    const format = values.format as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) {
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
    }
    const sides = positionals.map((file) => reviewFlowFile(file));
    let invalid = false;
    for (const side of sides) {
      for (const d of side.diagnostics) console.error(formatDiagnostic(d));
      if (!side.ok) {
        console.error(
          `weft diff: WEFT_DIFF_INVALID_FLOW ${side.file} is not a valid flow; nothing was compared`,
        );
        invalid = true;
      }
    }
    const [before, after] = sides;
    if (invalid || !before?.ok || !after?.ok) return EXIT.usage;
    const diff = diffFlows(before, after);
    if (format === 'json') {
      const { marks: _marks, ...data } = diff;
      console.log(JSON.stringify(data, null, 2));
    } else if (format === 'markdown') {
      process.stdout.write(
        formatDiffMarkdown(diff, toMermaid(reviewGraph(after.value), { marks: diff.marks })),
      );
    } else process.stdout.write(formatDiffText(diff));
    return EXIT.ok;
  },
};

export default command;
