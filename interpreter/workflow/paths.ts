/** Dotted `result:` and `set:` paths (`a.b`): writes create the objects they pass through. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = target;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i] as string;
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    } else node = next as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}
