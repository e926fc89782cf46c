import { writeFileSync } from 'node:fs';
import { formatDiagnostic } from '../dsl';
import {
  diffFlows,
  reviewFlowFile,
  reviewGraph,
  type StepMark,
  svgToPng,
  toMermaid,
  toSvg,
} from '../review';
import { parseCommand } from './client-args';
import { type Command, EXIT, UsageError } from './command';
import { takePlugins } from './plugin-args';

const FORMATS = ['mermaid', 'svg', 'png'] as const;
type Format = (typeof FORMATS)[number];

const usage =
  'weft graph <file> [--format mermaid|svg|png] [--flow <child flow>] [--diff <old file>] [--out <file>] [--plugins <module>…]';

const command: Command = {
  summary:
    'Draw a flow as the designer does: Mermaid (for Markdown and pull requests), SVG, or PNG (needs Chromium).',
  usage,
  async run(args) {
    const { rest, plugins } = takePlugins(args);
    const { values, positionals } = parseCommand({
      args: rest,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'mermaid' },
        flow: { type: 'string' },
        out: { type: 'string', short: 'o' },
        diff: { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('expected exactly one flow file');
    const format = values.format as Format;
    if (!FORMATS.includes(format)) {
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
    }
    if (format === 'png' && values.out === undefined) {
      throw new UsageError('--format png writes a binary file: give --out <file.png>');
    }
    let manifest: import('../model').ActivityManifest | undefined;
    if (plugins.length > 0) {
      const { loadPlugins } = await import('../activities');
      try {
        manifest = (await loadPlugins(plugins)).manifest();
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    const file = positionals[0]!;
    const flow = reviewFlowFile(file, manifest);
    for (const d of flow.diagnostics) console.error(formatDiagnostic(d));
    if (!flow.ok) {
      console.error(
        `weft graph: WEFT_GRAPH_INVALID_FLOW ${file} is not a valid flow; nothing was drawn`,
      );
      return EXIT.usage;
    }
    // With --diff, the steps added, moved or changed since the old version are coloured.
    let marks: Map<string, StepMark> | undefined;
    if (values.diff !== undefined) {
      const old = reviewFlowFile(values.diff, manifest);
      for (const d of old.diagnostics) console.error(formatDiagnostic(d));
      if (!old.ok) {
        console.error(
          `weft graph: WEFT_GRAPH_INVALID_FLOW ${values.diff} is not a valid flow; nothing was drawn`,
        );
        return EXIT.usage;
      }
      marks = diffFlows(old, flow).marks;
    }
    const graph = reviewGraph(flow.value, values.flow);
    const options = marks ? { marks } : {};
    let output: string | Buffer;
    if (format === 'mermaid') output = toMermaid(graph, options);
    else {
      const picture = toSvg(graph, options);
      output = format === 'svg' ? picture.svg : await svgToPng(picture.svg, picture);
    }
    if (values.out === undefined) process.stdout.write(output);
    else writeFileSync(values.out, output);
    return EXIT.ok;
  },
};

export default command;
