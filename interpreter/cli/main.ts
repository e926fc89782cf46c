import { readFileSync } from 'node:fs';
import { EXIT, UsageError } from './command';
import { COMMANDS } from './commands';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function help(): string {
  return [
    `weft ${version()}: declarative workflows for Temporal`,
    '',
    'Usage: weft <command> [options]',
    '',
    'Commands:',
    ...Object.keys(COMMANDS).map((name) => `  ${name}`),
    '',
    "Run `weft <command> --help` for a command's options.",
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    console.log(version());
    return EXIT.ok;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`weft: unknown command '${name}'\n\n${help()}`);
    return EXIT.usage;
  }
  const command = (await load()).default;
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.summary}\n\nUsage: ${command.usage}`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`weft ${name}: ${err.message}\nUsage: ${command.usage}`);
      return EXIT.usage;
    }
    const e = err as { code?: string; message?: string };
    console.error(`weft ${name}: ${e.code ? `${e.code} ` : ''}${e.message ?? String(err)}`);
    return EXIT.failed;
  }
}
