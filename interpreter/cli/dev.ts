import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServe } from '../api';
import { type Command, EXIT } from './command';
import { buildDesigner, designerIsStale } from './designer-build';
import { DESIGNER_DIST, parseServeArgs, serveLines, untilSignal } from './serve';

const usage =
  'weft dev [--flows DIR] [--port N] [--plugins <module>…] [--no-build] [--metrics host:port] [serve options]';

/**
 * Everything at once for a flow author: the embedded Temporal dev server with its SQLite file
 * under .weft/ (runs survive a restart), a worker, the HTTP API and the designer, which is
 * (re)built first when its sources are newer than designer/dist.
 */
const command: Command = {
  summary: 'Start Temporal, a worker, the API and the designer together',
  usage,
  async run(args) {
    const noBuild = args.includes('--no-build');
    const a = parseServeArgs(
      args.filter((x) => x !== '--no-build'),
      { flows: '.' },
    );
    const stateDir = resolve('.weft');
    mkdirSync(stateDir, { recursive: true });
    if (!noBuild && designerIsStale()) {
      console.log('weft dev: building the designer (npm run build:designer)…');
      if (!(await buildDesigner()))
        console.error('weft dev: the designer build failed; serving a placeholder page at /');
    }
    const running = await startServe({
      host: a.host,
      port: a.port,
      flowsDir: a.flows,
      plugins: a.plugins,
      allowHttp: a.allowHttp,
      worker: a.worker,
      // The worker runs in a supervised child process: no flow can take the server down.
      workerProcess: true,
      corsOrigins: a.cors,
      allowedHosts: a.allowedHosts,
      designerDir: DESIGNER_DIST,
      devServer: {
        dbFile: join(stateDir, 'temporal.db'),
        onProgress: (line) => console.error(`weft dev: ${line}`),
      },
      ...(a.token === undefined ? {} : { token: a.token }),
      ...(a.metrics === undefined ? {} : { metrics: a.metrics }),
      ...(a.bodyLimit === undefined ? {} : { bodyLimit: a.bodyLimit }),
      ...(a.taskQueue === undefined ? {} : { taskQueue: a.taskQueue }),
    });
    console.log(`Designer:        ${running.url}/`);
    console.log(`Temporal Web UI: ${running.temporal.uiUrl ?? '(not available for this server)'}`);
    for (const line of serveLines(running, a).slice(1)) console.log(line);
    await untilSignal();
    await running.close();
    return EXIT.ok;
  },
};

export default command;
