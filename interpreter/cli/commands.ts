import type { Command } from './command';

type Loader = () => Promise<{ default: Command }>;

/** Every `weft` command, by name. Commands load lazily so `weft --version` stays instant. */
export const COMMANDS: Record<string, Loader> = {
  server: () => import('./server'),
  doctor: () => import('./doctor'),
  setup: () => import('./setup'),
  validate: () => import('./validate'),
  schema: () => import('./schema'),
  serve: () => import('./serve'),
  dev: () => import('./dev'),
  run: () => import('./run'),
  start: () => import('./start'),
  result: () => import('./result'),
  describe: () => import('./describe'),
  query: () => import('./query'),
  signal: () => import('./signal'),
  update: () => import('./update'),
  cancel: () => import('./cancel'),
  list: () => import('./list'),
  history: () => import('./history'),
  replay: () => import('./replay'),
  manifest: () => import('./manifest'),
  worker: () => import('./worker'),
  graph: () => import('./graph'),
  diff: () => import('./diff'),
  mcp: () => import('./mcp'),
  import: () => import('./import'),
  test: () => import('./test'),
  export: () => import('./export'),
  schedule: () => import('./schedule'),
};
