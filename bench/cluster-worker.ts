/**
 * One bench worker as its own process, for the cluster section: its CPU time is read from /proc
 * apart from the cluster's and the bench's. Args: <side> <task queue>; the cluster from the
 * TEMPORAL_* variables. Prints "ready" once polling; stops on SIGTERM.
 */
import { Worker } from '@temporalio/worker';
import { connectionOptionsFromEnv, connectWorker } from '../interpreter/temporal';
import type { Side } from './bundles';
import { benchRegistry, quietRuntime, workerOptions } from './env';

const [side, taskQueue] = process.argv.slice(2) as [Side, string];
quietRuntime();
const settings = connectionOptionsFromEnv();
if (!settings) throw new Error('cluster-worker: TEMPORAL_ADDRESS is not set');
const connection = await connectWorker(settings);
const worker = await Worker.create(
  await workerOptions(side, connection, settings.namespace, taskQueue, benchRegistry()),
);
process.once('SIGTERM', () => worker.shutdown());
const running = worker.run();
console.log('ready');
await running;
await connection.close();
