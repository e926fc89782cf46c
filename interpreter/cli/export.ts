import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { formatDiagnostic, hasErrors, parseFlowText } from '../dsl';
import { compileText } from '../dsl/node';
import { exportOws } from '../ows/export';
import { parseCommandArgs } from './args';
import { type Command, EXIT, UsageError } from './command';

const usage = 'weft export --to ows <file.flow.yaml> [--out <file.sw.yaml>]';

/** Only OWS is a target today; another `--to` is a usage error with its own code. */
export class UnknownTargetError extends UsageError {
  override readonly code = 'WEFT_OWS_TARGET' as 'WEFT_USAGE';
}

const command: Command = {
  summary:
    'Export a Weft flow as a Serverless Workflow 1.0 document (refusing, with positions, what OWS cannot express).',
  usage,
  async run(args) {
    const parsed = parseCommandArgs(args, { to: { type: 'string' }, out: { type: 'string' } });
    if (parsed.values.to !== 'ows') {
      throw new UnknownTargetError(`--to wants ows, got ${parsed.values.to ?? 'nothing'}`);
    }
    const [file, ...extra] = parsed.positionals;
    if (!file || extra.length > 0) throw new UsageError('give exactly one flow file');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
    // Only a valid flow is exported: its errors are reported as `weft validate` would.
    const checked = compileText(text, file);
    const flow = parseFlowText(text, file);
    const result = hasErrors(checked.diagnostics)
      ? {
          diagnostics: checked.diagnostics.filter((d) => d.severity === 'error'),
          document: undefined,
        }
      : exportOws(flow.value, flow.sourceMap, text);
    for (const d of result.diagnostics) console.error(formatDiagnostic(d, file));
    if (!result.document) return EXIT.failed;
    const yaml = `# Exported from ${file} by weft export --to ows\n${stringify(result.document, { lineWidth: 0 })}`;
    if (parsed.values.out) writeFileSync(parsed.values.out, yaml);
    else process.stdout.write(yaml);
    return EXIT.ok;
  },
};

export default command;
