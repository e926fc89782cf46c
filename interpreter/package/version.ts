import type { CompiledFlow } from '../model';

/**
 * The DSL's major version, which compiled flows carry as `weft`. It changes only when a flow that
 * compiled before would mean something else; the package's own semver moves independently.
 */
export const DSL_VERSION: CompiledFlow['weft'] = 1;
