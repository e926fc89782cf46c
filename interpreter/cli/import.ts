import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatDiagnostic } from '../dsl';
import { flowToYaml, isOwsText } from '../ows';
import { compileOwsText, endpointsFromEnv, readOpenApiDocuments } from '../ows/node';
import { parseCommandArgs } from './args';
import { type Command, EXIT, UsageError } from './command';

const usage =
  'weft import <file.sw.yaml> [--out <file.flow.yaml>] [--endpoint <from>=<to>]… [--trace]';

/** A document that is not a Serverless Workflow document: exit 2, as a usage error. */
export class NotOwsError extends UsageError {
  override readonly code = 'WEFT_OWS_NOT_OWS' as 'WEFT_USAGE';
}

const command: Command = {
  summary:
    'Convert a Serverless Workflow 1.0 document to a Weft flow (YAML, each step commented with its source task).',
  usage,
  async run(args) {
    const parsed = parseCommandArgs(args, {
      out: { type: 'string' },
      endpoint: { type: 'string', multiple: true },
      trace: { type: 'boolean' },
    });
    const [file, ...extra] = parsed.positionals;
    if (!file || extra.length > 0) throw new UsageError('give exactly one OWS document');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
    if (!isOwsText(text)) {
      throw new NotOwsError(`${file} is not a Serverless Workflow document (no document.dsl)`);
    }
    const endpoints = endpointsFromEnv();
    for (const pair of parsed.values.endpoint ?? []) {
      const i = pair.indexOf('=');
      if (i <= 0) throw new UsageError(`--endpoint wants <from>=<to>, got "${pair}"`);
      endpoints[pair.slice(0, i)] = pair.slice(i + 1);
    }
    await readOpenApiDocuments(text, dirname(resolve(file)), endpoints);
    const { compiled, diagnostics, conversion } = compileOwsText(text, file, {
      endpoints,
      ...(parsed.values.trace ? { trace: true } : {}),
    });
    for (const d of diagnostics) console.error(formatDiagnostic(d, file));
    if (!compiled || !conversion.flow) return EXIT.failed;
    const yaml = flowToYaml(conversion, file);
    if (parsed.values.out) writeFileSync(parsed.values.out, yaml);
    else process.stdout.write(yaml);
    return EXIT.ok;
  },
};

export default command;
