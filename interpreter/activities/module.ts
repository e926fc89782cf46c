import type { Plugin } from './types';

function isPlugin(value: unknown): value is Plugin {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Partial<Plugin>;
  return typeof p.name === 'string' && Array.isArray(p.activities);
}

/**
 * The plugins a module exports: its default export, a named `plugin`, or a named `plugins`
 * array. A default export may itself be an array of plugins.
 */
export function pluginsOf(mod: Record<string, unknown>): Plugin[] {
  const found: Plugin[] = [];
  const take = (value: unknown) => {
    if (Array.isArray(value)) {
      for (const v of value) if (isPlugin(v)) found.push(v);
    } else if (isPlugin(value)) found.push(value);
  };
  take(mod.default);
  if (mod.plugin !== mod.default) take(mod.plugin);
  if (mod.plugins !== mod.default) take(mod.plugins);
  return [...new Set(found)];
}
