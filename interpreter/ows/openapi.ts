/**
 * Finding an operation in an OpenAPI document (Swagger 2.0 or OpenAPI 3.x) by its operationId,
 * with what an `http.request` needs: the method, the base URL, the path template and where each
 * parameter goes.
 */

export interface OpenApiOperation {
  method: string;
  /** Scheme, host and base path (Swagger 2) or the first server's URL (OpenAPI 3). */
  baseUrl: string;
  /** The path template, `{name}` for path parameters. */
  path: string;
  parameters: { name: string; in: string }[];
  hasRequestBody: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function params(list: unknown): { name: string; in: string }[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((p) =>
    isObject(p) && typeof p.name === 'string' && typeof p.in === 'string'
      ? [{ name: p.name, in: p.in }]
      : [],
  );
}

/** The WHATWG URL the browser and Node both have (the ows area types only the language). */
interface PortableUrl {
  protocol: string;
  host: string;
  origin: string;
  toString(): string;
}
const URL = (globalThis as unknown as { URL: new (url: string, base?: PortableUrl) => PortableUrl })
  .URL;

function baseUrl(doc: Record<string, unknown>, docUrl: string): string {
  let where: PortableUrl | undefined;
  try {
    where = new URL(docUrl);
  } catch {
    where = undefined;
  }
  if (typeof doc.swagger === 'string') {
    const schemes = Array.isArray(doc.schemes) ? (doc.schemes as unknown[]) : [];
    const scheme =
      (schemes.includes('https') ? 'https' : (schemes[0] as string | undefined)) ??
      where?.protocol.replace(':', '') ??
      'https';
    const host = typeof doc.host === 'string' ? doc.host : (where?.host ?? '');
    const basePath = typeof doc.basePath === 'string' ? doc.basePath : '';
    return `${scheme}://${host}${basePath.replace(/\/$/, '')}`;
  }
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const first = servers[0];
  if (isObject(first) && typeof first.url === 'string') {
    let url = first.url;
    if (isObject(first.variables)) {
      for (const [k, v] of Object.entries(first.variables)) {
        if (isObject(v) && v.default !== undefined)
          url = url.replaceAll(`{${k}}`, String(v.default));
      }
    }
    return (where ? new URL(url, where).toString() : url).replace(/\/$/, '');
  }
  return where ? where.origin : '';
}

export function findOperation(
  doc: unknown,
  operationId: string,
  docUrl: string,
): OpenApiOperation | undefined {
  if (!isObject(doc) || !isObject(doc.paths)) return undefined;
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op) || op.operationId !== operationId) continue;
      const own = params(op.parameters);
      const shared = params(item.parameters).filter(
        (p) => !own.some((o) => o.name === p.name && o.in === p.in),
      );
      return {
        method,
        baseUrl: baseUrl(doc, docUrl),
        path,
        parameters: [...own, ...shared],
        hasRequestBody: op.requestBody !== undefined,
      };
    }
  }
  return undefined;
}
