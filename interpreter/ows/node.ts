import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { compileFlow, type Diagnostic, parseFlowText } from '../dsl';
import type { ActivityManifest, CompiledFlow } from '../model';
import {
  convertOws,
  isOwsText,
  type OwsConversion,
  type OwsOptions,
  owsPointerFor,
} from './convert';

/**
 * The Node side of OWS documents: reading the OpenAPI documents they call (before the
 * synchronous conversion), the endpoint rewrites from the environment, and compiling a converted
 * document with Weft's compiler, its diagnostics pointed back at the OWS source.
 */

/** OpenAPI documents read so far, by the URL as written (and the folder for relative ones). */
const documents = new Map<string, { doc?: unknown; error?: string }>();

/** `WEFT_OWS_ENDPOINTS="https://a.example=http://127.0.0.1:8080,…"`: URL prefix rewrites. */
export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (env.WEFT_OWS_ENDPOINTS ?? '').split(',')) {
    const i = pair.indexOf('=');
    if (i > 0) out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return out;
}

function rewrite(url: string, endpoints: Record<string, string>): string {
  for (const [from, to] of Object.entries(endpoints)) {
    if (url.startsWith(from)) return to + url.slice(from.length);
  }
  return url;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The OpenAPI document URLs an OWS document's `call: openapi` tasks name. */
export function openApiUrls(text: string): string[] {
  let root: unknown;
  try {
    root = parse(text);
  } catch {
    return [];
  }
  const urls = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      if (v.call === 'openapi' && isObject(v.with) && isObject(v.with.document)) {
        const e = v.with.document.endpoint;
        const url = typeof e === 'string' ? e : isObject(e) ? e.uri : undefined;
        if (typeof url === 'string') urls.add(url);
      }
      Object.values(v).forEach(walk);
    }
  };
  walk(root);
  return [...urls];
}

const key = (url: string, dir: string) => (/^https?:/i.test(url) ? url : resolve(dir, url));

function parseDocumentText(text: string): unknown {
  return text.trimStart().startsWith('{') ? JSON.parse(text) : parse(text);
}

/** Reads every OpenAPI document the OWS text calls; HTTP ones once per process. */
export async function readOpenApiDocuments(
  text: string,
  dir: string,
  endpoints: Record<string, string> = endpointsFromEnv(),
): Promise<void> {
  for (const url of openApiUrls(text)) {
    const k = key(url, dir);
    if (documents.has(k) || !/^https?:/i.test(url)) continue;
    const target = rewrite(url, endpoints);
    try {
      const res = await fetch(target, { signal: AbortSignal.timeout(30_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status} from ${target}`);
      documents.set(k, { doc: parseDocumentText(await res.text()) });
    } catch (err) {
      documents.set(k, { error: (err as Error).message });
    }
  }
}

/**
 * The resolver the converter calls: local files are read now (through `readFile` when the caller
 * confines reads, as the API does to its flows folder), HTTP ones must have been read before.
 */
function resolver(
  dir: string,
  readFile?: (path: string) => string | undefined,
  remoteRefused?: string,
): NonNullable<OwsOptions['openapi']> {
  return (url) => {
    const remote = /^https?:/i.test(url);
    // Checked before the cache: a document another caller in this process fetched stays unread.
    if (remote && remoteRefused !== undefined) return { error: remoteRefused };
    const k = key(url, dir);
    const known = documents.get(k);
    if (known) return known;
    if (remote) return undefined;
    try {
      const text = readFile ? readFile(k) : readFileSync(k, 'utf8');
      if (text === undefined) return { error: 'no such file in the flows folder' };
      return { doc: parseDocumentText(text) };
    } catch {
      return { error: 'not a JSON or YAML OpenAPI document' };
    }
  };
}

export interface OwsLoadOptions {
  manifest?: ActivityManifest;
  endpoints?: Record<string, string>;
  trace?: boolean;
  /** Reads a local OpenAPI document; the default reads any file. */
  readFile?: (path: string) => string | undefined;
  /**
   * Why HTTP(S) OpenAPI documents are not read, when they are not (the API fetches nothing on a
   * flow's say-so); without it they must have been read first (readOpenApiDocuments).
   */
  remoteRefused?: string;
}

/** Converts OWS text at `path` (OpenAPI documents already read) to a Weft flow. */
export function convertOwsFile(
  text: string,
  path: string,
  options: OwsLoadOptions = {},
): OwsConversion {
  return convertOws(text, {
    file: path,
    endpoints: options.endpoints ?? endpointsFromEnv(),
    openapi: resolver(dirname(resolve(path)), options.readFile, options.remoteRefused),
    ...(options.trace ? { trace: true } : {}),
  });
}

/**
 * Converts and compiles an OWS document. Weft's own diagnostics on the converted flow are
 * reported at the OWS task they came from, saying where in the converted flow they are.
 */
export function compileOwsText(
  text: string,
  path: string,
  options: OwsLoadOptions = {},
): { compiled?: CompiledFlow; diagnostics: Diagnostic[]; conversion: OwsConversion } {
  const conversion = convertOwsFile(text, path, options);
  if (!conversion.flow) return { diagnostics: conversion.diagnostics, conversion };
  const parsed = parseFlowText(JSON.stringify(conversion.flow), path);
  const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
  const result = compileFlow(parsed, { manifest: options.manifest, file: path, sha256 });
  const diagnostics = result.diagnostics.map((d) => {
    const pointer = owsPointerFor(conversion, d.pointer);
    const { line, col } = pointer ? conversion.position(pointer) : { line: 1, col: 1 };
    return {
      ...d,
      line,
      col,
      message: `${d.message} (in the converted flow at ${d.pointer || '/'}; see \`weft import\`)`,
    };
  });
  const out: { compiled?: CompiledFlow; diagnostics: Diagnostic[]; conversion: OwsConversion } = {
    diagnostics,
    conversion,
  };
  if (result.compiled) out.compiled = result.compiled;
  return out;
}

export { isOwsText };
