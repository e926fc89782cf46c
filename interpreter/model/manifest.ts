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
  /**
   * A task queue the plugin prefers; flow defaults and the step still override it. For an
   * external activity it is where its worker polls, so flow defaults do not override it.
   */
  taskQueue?: string;
  /**
   * Set for an activity that a worker in another process (any Temporal SDK) provides, declared
   * in an activities file: Weft's workers never register or poll for it.
   */
  external?: ExternalActivityInfo;
}

export interface ExternalActivityInfo {
  /** The activities file that declares it (as given to the loader). */
  file: string;
  /**
   * Positional calling convention: the step's `input` object is sent as these of its members,
   * in this order, one argument each. Without it the input is the single argument.
   */
  args?: string[];
}

export interface ActivityManifest {
  activities: ActivityManifestEntry[];
  /**
   * The manifest does not know every activity (external ones were declared, but no plugin
   * manifest was loaded): names it lacks are not reported as unknown.
   */
  partial?: boolean;
}

/** The file a flow's folder declares its external activities in. */
export const ACTIVITIES_FILE = 'weft.activities.yaml';

/**
 * The file names a flows folder holds: what the API lists, reads and writes (nothing else under
 * its DIR is reachable) and what the designer names a new file. Weft flows
 * are `*.flow.*`; `*.sw.*` are Serverless Workflow (OWS) documents, the names `weft import` and
 * `weft export --to ows` use, which load as the flow they convert to (content decides, as in
 * the CLI: an OWS document under a `.flow.yaml` name converts too).
 */
export const FLOW_FILE = /\.(flow|sw)\.(ya?ml|json)$/;

/** What FLOW_FILE allows, for error messages. */
export const FLOW_FILE_NAMES =
  '*.flow.yaml, *.flow.yml, *.flow.json, or OWS *.sw.yaml, *.sw.yml, *.sw.json';
