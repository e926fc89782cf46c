import { isRecord, type RuleContext } from './context';

/** Somewhere a retry policy or activity timeouts may appear, with its pointer. */
export interface OptionSite {
  holder: Record<string, unknown>;
  pointer: string;
  /** The flow body's `defaults`, which a step's own options override key by key. */
  defaults?: Record<string, unknown>;
}

// Several rules ask for the same sites: collect them once per validation.
const activityCache = new WeakMap<RuleContext, OptionSite[]>();
const retryCache = new WeakMap<RuleContext, OptionSite[]>();

/**
 * Every place activity options live: each flow body's `defaults`, each activity step and its
 * compensation. Rules about timeouts and retries walk these, so they agree on where to look.
 */
export function activityOptionSites(ctx: RuleContext): OptionSite[] {
  const cached = activityCache.get(ctx);
  if (cached) return cached;
  const sites: OptionSite[] = [];
  activityCache.set(ctx, sites);
  for (const f of ctx.flows) {
    if (isRecord(f.body.defaults))
      sites.push({ holder: f.body.defaults, pointer: `${f.pointer}/defaults` });
  }
  for (const s of ctx.steps) {
    if (s.kind !== 'activity') continue;
    const defaults = isRecord(s.flow.body.defaults) ? s.flow.body.defaults : undefined;
    sites.push({ holder: s.value, pointer: s.pointer, defaults });
    if (isRecord(s.value.compensate)) {
      sites.push({ holder: s.value.compensate, pointer: `${s.pointer}/compensate`, defaults });
    }
  }
  return sites;
}

/** Every retry policy: activity options' `retry` and each flow body's `options.retry`. */
export function retrySites(ctx: RuleContext): OptionSite[] {
  const cached = retryCache.get(ctx);
  if (cached) return cached;
  const sites: OptionSite[] = [];
  retryCache.set(ctx, sites);
  for (const site of activityOptionSites(ctx)) {
    if (!isRecord(site.holder.retry)) continue;
    const defaults =
      site.defaults && isRecord(site.defaults.retry) ? site.defaults.retry : undefined;
    sites.push({ holder: site.holder.retry, pointer: `${site.pointer}/retry`, defaults });
  }
  for (const f of ctx.flows) {
    const options = f.body.options;
    if (isRecord(options) && isRecord(options.retry)) {
      sites.push({ holder: options.retry, pointer: `${f.pointer}/options/retry` });
    }
  }
  return sites;
}
