/**
 * Posix path arithmetic for child flow files, kept pure so the compiler runs in the browser.
 * Child flow keys are paths relative to the root flow's folder, normalised (`sub/ship.flow.yaml`).
 */

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  if (i < 0) return '';
  return i === 0 ? '/' : path.slice(0, i);
}

export function normalize(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

export function join(...parts: string[]): string {
  const nonEmpty = parts.filter((p) => p !== '');
  if (nonEmpty.length === 0) return '.';
  let path = '';
  for (const p of nonEmpty) path = p.startsWith('/') ? p : path === '' ? p : `${path}/${p}`;
  return normalize(path);
}
