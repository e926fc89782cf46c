import type { CliStartupResult } from './sections/cli-startup';
import type { ClusterResult } from './sections/cluster';
import type { DesignerResult } from './sections/designer';
import type { ExpressionsResult } from './sections/expressions';
import type { FanOutResult } from './sections/fan-out';
import type { MemoryResult } from './sections/memory';
import type { PackageResult } from './sections/package';
import type { ReplayResult } from './sections/replay';
import type { SequentialResult } from './sections/sequential';
import type { ServeRssResult } from './sections/serve-rss';
import type { ValidationResult } from './sections/validation';
import type { ValidationCliResult } from './sections/validation-cli';
import type { WeftTestResult } from './sections/weft-test';

/** Where and with what the figures were taken: ratios travel, absolute times do not. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  temporalSdk: string;
  temporalServer: string;
  loadAverage: number[];
}

/** One line of the target table, checked against a run's results (./targets). */
export interface TargetCheck {
  measure: string;
  value: number;
  /** Readable target, e.g. "<= 1.10". */
  target: string;
  limit: number;
  /** 'exact': value must equal the limit; 'max': value must not exceed it; 'below': strictly. */
  kind: 'exact' | 'max' | 'below';
  unit: 'ratio' | 'ms';
  met: boolean;
}

/** The JSON that `--json` writes. `sequential` is the N = 100 run (the one the target names). */
export interface BenchResults {
  quick: boolean;
  startedAt: string;
  durationS?: number;
  machine: Machine;
  serverConfig: Record<string, unknown>;
  sequential?: SequentialResult;
  /** Every N measured, by N. */
  sequentialBySteps?: Record<string, SequentialResult>;
  fanOut?: FanOutResult;
  replay?: ReplayResult;
  validation?: ValidationResult[];
  /** A flow validated as `weft validate` does it: fresh processes, shipped reader and yaml alone. */
  validationCli?: ValidationCliResult;
  memory?: MemoryResult;
  designer?: DesignerResult;
  serveRss?: ServeRssResult;
  cli?: CliStartupResult;
  package?: PackageResult;
  expressions?: ExpressionsResult;
  cluster?: ClusterResult;
  /** `weft test` of 20 cases of a flow with a 30-day sleep (issue 16). */
  weftTest?: WeftTestResult;
  /** Sections that could not run here, and why. */
  skipped?: Record<string, string>;
  /** Sections that failed, with their error; the run goes on without them. */
  errors?: Record<string, string>;
  targets?: TargetCheck[];
}
