import { Runtime, type RuntimeOptions } from '@temporalio/worker';
import { JsonLogger, type Logger } from './logger';
import { METRICS, STEP_DURATION_BUCKETS } from './names';

export interface RuntimeSetup {
  /** `host:port` for the Prometheus exporter (scrape `/metrics` there). */
  metrics?: string;
  logger?: Logger;
}

let installed = false;

/**
 * Installs the Temporal Runtime once per process, before any worker or native connection exists:
 * structured JSON logs for the SDK and workflow loggers, and the Prometheus exporter that also
 * carries Weft's own metrics. A second call is a no-op (the Runtime cannot be reinstalled).
 */
export function installRuntime(setup: RuntimeSetup = {}): Logger {
  const logger = setup.logger ?? new JsonLogger();
  if (installed) return logger;
  const options: RuntimeOptions = {
    logger,
    telemetryOptions: {
      logging: { forward: {}, filter: { core: 'WARN', other: 'WARN' } },
      ...(setup.metrics === undefined
        ? {}
        : {
            metrics: {
              prometheus: {
                bindAddress: setup.metrics,
                countersTotalSuffix: true,
                unitSuffix: true,
                histogramBucketOverrides: { [METRICS.stepDuration]: STEP_DURATION_BUCKETS },
              },
            },
          }),
    },
  };
  try {
    Runtime.install(options);
  } catch (err) {
    // Something in this process (a test helper, an earlier connection) already created the
    // default Runtime; it keeps its settings, and metrics need a fresh process.
    logger.warn('Temporal Runtime already installed; keeping its logging and metrics', {
      error: (err as Error).message,
    });
  }
  installed = true;
  return logger;
}
