import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadPlugins, PluginError } from '../activities';
import { CONNECTION_OPTIONS, CONNECTION_USAGE, parseCommand } from './client-args';
import { type Command, EXIT, UsageError } from './command';
import { takePlugins } from './plugin-args';

const command: Command = {
  summary:
    'An MCP server on stdio for assistants: schema, step kinds, activity manifest, validate, compile, graph, diff, test (on the time-skipping test server), and run/start/describe/result on the configured Temporal server.',
  usage: `weft mcp [--plugins <module>…] [--task-queue <queue>] ${CONNECTION_USAGE}`,
  async run(args) {
    const { rest, plugins } = takePlugins(args);
    const { values, positionals } = parseCommand({
      args: rest,
      allowPositionals: true,
      options: { ...CONNECTION_OPTIONS, 'task-queue': { type: 'string' } },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    // stdout carries the protocol: anything else printed there would corrupt it.
    console.log = console.error;
    console.info = console.error;
    let registry: Awaited<ReturnType<typeof loadPlugins>>;
    try {
      registry = await loadPlugins(plugins);
    } catch (err) {
      if (err instanceof PluginError) throw new UsageError(err.message);
      throw err;
    }
    const [{ createWeftMcpServer }, { StdioServerTransport }] = await Promise.all([
      import('../mcp'),
      import('@modelcontextprotocol/sdk/server/stdio.js'),
    ]);
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    const mcp = createWeftMcpServer({
      registry,
      plugins: plugins.map((p) => (existsSync(p) ? resolve(p) : p)),
      address: values.address,
      namespace: values.namespace,
      taskQueue: values['task-queue'],
      version: pkg.version,
    });
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((resolve) => {
      process.stdin.once('end', () => resolve());
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await mcp.server.connect(transport);
    console.error(
      `weft mcp: serving ${registry.manifest().activities?.length ?? 0} activities on stdio`,
    );
    await closed;
    await mcp.close();
    return EXIT.ok;
  },
};

export default command;
