import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinPlugins } from './builtin';
import { PluginError } from './errors';
import { HttpPolicy } from './http-policy';
import { pluginsOf } from './module';
import { Registry } from './registry';

function looksLikePath(spec: string): boolean {
  return (
    spec.startsWith('.') ||
    isAbsolute(spec) ||
    /\.(m|c)?(j|t)sx?$/.test(spec) ||
    spec.includes('\\')
  );
}

/** A file path (relative to cwd) or a package name, as a URL that `import()` accepts. */
export function resolvePluginUrl(spec: string, cwd: string): string {
  if (spec.startsWith('file:')) return spec;
  if (looksLikePath(spec)) return pathToFileURL(resolve(cwd, spec)).href;
  try {
    return pathToFileURL(createRequire(join(cwd, 'noop.js')).resolve(spec)).href;
  } catch {
    return spec;
  }
}

let tsxRegistered = false;

async function registerTsx(): Promise<void> {
  if (tsxRegistered) return;
  const { register } = await import('tsx/esm/api');
  register();
  tsxRegistered = true;
}

async function importModule(url: string): Promise<Record<string, unknown>> {
  // The compiled CLI runs without tsx: register it before a TypeScript plugin is first imported,
  // because Node remembers a failed import of a URL and would fail the retry the same way.
  if (/\.[cm]?tsx?$/i.test(new URL(url, 'file:///').pathname)) await registerTsx();
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    // Plain `node` cannot load TypeScript plugins; register tsx once and try again.
    if ((err as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION' || tsxRegistered) {
      throw err;
    }
    await registerTsx();
    return (await import(url)) as Record<string, unknown>;
  }
}

export interface LoadOptions {
  /**
   * Hosts, host:port pairs, IPs and CIDR blocks the built-in HTTP activities may reach although
   * they are loopback, link-local or private (`--allow-http`); WEFT_ALLOW_HTTP adds to them.
   */
  allowHttp?: readonly string[];
}

/**
 * Imports plugin modules (TypeScript or JavaScript, by path or package name) and registers their
 * plugins after the built-ins. A module exports a plugin as default, `plugin` or `plugins`.
 */
export async function loadPlugins(
  specifiers: string[],
  cwd = process.cwd(),
  options: LoadOptions = {},
): Promise<Registry> {
  const registry = new Registry();
  const policy = HttpPolicy.from(options.allowHttp);
  for (const { plugin, source } of builtinPlugins(policy)) registry.add(plugin, source);
  for (const spec of specifiers) {
    const url = resolvePluginUrl(spec, cwd);
    let mod: Record<string, unknown>;
    try {
      mod = await importModule(url);
    } catch (err) {
      throw new PluginError(
        'WEFT_PLUGIN_LOAD',
        `cannot load plugin module ${spec}: ${(err as Error).message}`,
      );
    }
    const plugins = pluginsOf(mod);
    if (plugins.length === 0) {
      throw new PluginError(
        'WEFT_PLUGIN_INVALID',
        `${spec} exports no plugin (expected a default export, \`plugin\` or \`plugins\` with a name and activities)`,
      );
    }
    for (const plugin of plugins) registry.add(plugin, url);
  }
  return registry;
}
