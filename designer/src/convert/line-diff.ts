/**
 * A line diff (Myers' O(ND) algorithm, after trimming the common head and tail): which lines
 * of `a` are kept, dropped or added to make `b`. Edits touch a few lines of a long file, so
 * the trimmed middle is short and D small. Past `maxEdits` it gives up (undefined): the caller
 * then has no alignment to rely on.
 */
export type DiffOp =
  | { op: 'same'; a: number; b: number }
  | { op: 'del'; a: number }
  | {
      op: 'add';
      b: number;
    };

export function diffLines(
  a: readonly string[],
  b: readonly string[],
  maxEdits = 1000,
): DiffOp[] | undefined {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  const middle = myers(n, m, (i, j) => a[head + i] === b[head + j], maxEdits);
  if (!middle) return undefined;
  const ops: DiffOp[] = [];
  for (let i = 0; i < head; i++) ops.push({ op: 'same', a: i, b: i });
  for (const o of middle) {
    if (o.op === 'same') ops.push({ op: 'same', a: head + o.a, b: head + o.b });
    else if (o.op === 'del') ops.push({ op: 'del', a: head + o.a });
    else ops.push({ op: 'add', b: head + o.b });
  }
  for (let k = tail; k > 0; k--) ops.push({ op: 'same', a: a.length - k, b: b.length - k });
  return ops;
}

function myers(
  n: number,
  m: number,
  equal: (i: number, j: number) => boolean,
  maxEdits: number,
): DiffOp[] | undefined {
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))
          ? (v[offset + k + 1] ?? 0)
          : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && equal(x, y)) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return undefined;
  // Walk the trace back from (n, m) to (0, 0), collecting the edit script in reverse.
  const ops: DiffOp[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const vd = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (vd[offset + k - 1] ?? 0) < (vd[offset + k + 1] ?? 0));
    const prevK = down ? k + 1 : k - 1;
    const prevX = vd[offset + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ op: 'same', a: x, b: y });
    }
    if (down) {
      y--;
      ops.push({ op: 'add', b: y });
    } else {
      x--;
      ops.push({ op: 'del', a: x });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    ops.push({ op: 'same', a: x, b: y });
  }
  return ops.reverse();
}
