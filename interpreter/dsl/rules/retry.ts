import { parseDuration } from '../duration';
import type { Rule } from './context';
import { retrySites } from './option-sites';

/**
 * Retry values Temporal would reject: maximumAttempts >= 0, backoffCoefficient >= 1,
 * intervals > 0 and maximumInterval >= initialInterval (also across flow defaults and a step).
 */
export const retryRanges: Rule = {
  name: 'retry-ranges',
  check(ctx) {
    const { report } = ctx;
    for (const { holder, pointer, defaults } of retrySites(ctx)) {
      const attempts = holder.maximumAttempts;
      if (typeof attempts === 'number' && attempts < 0) {
        report(
          'WEFT021',
          `${pointer}/maximumAttempts`,
          `maximumAttempts must be 0 (unlimited) or more, not ${attempts}`,
        );
      }
      const backoff = holder.backoffCoefficient;
      if (typeof backoff === 'number' && backoff < 1) {
        report(
          'WEFT021',
          `${pointer}/backoffCoefficient`,
          `backoffCoefficient must be at least 1, not ${backoff}`,
        );
      }
      for (const key of ['initialInterval', 'maximumInterval']) {
        if (parseDuration(holder[key]) === 0) {
          report('WEFT021', `${pointer}/${key}`, `${key} must be greater than 0`);
        }
      }
      const initial = parseDuration(holder.initialInterval ?? defaults?.initialInterval);
      const maximum = parseDuration(holder.maximumInterval ?? defaults?.maximumInterval);
      const own = holder.maximumInterval !== undefined || holder.initialInterval !== undefined;
      if (
        own &&
        initial !== undefined &&
        maximum !== undefined &&
        maximum > 0 &&
        maximum < initial
      ) {
        const at = holder.maximumInterval !== undefined ? 'maximumInterval' : 'initialInterval';
        report(
          'WEFT021',
          `${pointer}/${at}`,
          `maximumInterval (${maximum} ms) must not be less than initialInterval (${initial} ms)`,
        );
      }
    }
  },
};
