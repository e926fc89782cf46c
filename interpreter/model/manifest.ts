import type { ActivityOptionsSpec, JsonSchema } from './types';

/**
 * What the activity registry tells the validator and the designer about its plugins: names,
 * schemas and defaults, as plain JSON. It never carries the functions themselves, so it can
 * travel to the browser and into a compiled flow's checks.
 */
export interface ActivityManifestEntry {
  name: string;
  description?: string;
  /** JSON Schema of the activity's input; literal step inputs are checked against it. */
  input?: JsonSchema;
  /** JSON Schema of the activity's result. */
  output?: JsonSchema;
  /** The plugin's activity options: the lowest layer of the merge (plugin < flow < step). */
  defaults?: ActivityOptionsSpec;
  /** A task queue the plugin prefers; flow defaults and the step still override it. */
  taskQueue?: string;
}

export interface ActivityManifest {
  activities: ActivityManifestEntry[];
}
