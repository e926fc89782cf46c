import type { BenchResults, TargetCheck } from './results';

/**
 * The README's chart: one bar per target, drawn as the share of its limit that the measure
 * uses (the dashed line is the limit), so ratios and milliseconds sit on one axis.
 */

const W = 760;
const ROW = 34;
const LEFT = 230;
const RIGHT = 150;
const TOP = 58;

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function shown(t: TargetCheck): string {
  if (!Number.isFinite(t.value)) return 'n/a';
  return t.unit === 'ms' ? `${Math.round(t.value)} ms` : t.value.toFixed(2);
}

export function chartSvg(results: BenchResults, targets: TargetCheck[]): string {
  const rows = targets.length;
  const height = TOP + rows * ROW + 46;
  const shares = targets.map((t) => (Number.isFinite(t.value) ? t.value / t.limit : 0));
  const maxShare = Math.max(1.5, ...shares.map((s) => Math.min(s, 4)));
  const span = W - LEFT - RIGHT;
  const x = (share: number) => LEFT + (Math.min(share, maxShare) / maxShare) * span;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="${W}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="24" font-size="15" font-weight="600">Weft bench: the interpreter against hand-written workflows</text>`,
    `<text x="16" y="44" fill="#555">${esc(
      `${results.quick ? 'quick run' : 'full run'}, ${results.startedAt.slice(0, 10)}; ${results.machine.cores} cores, Node ${results.machine.node}, Temporal SDK ${results.machine.temporalSdk}; bar = share of the target used`,
    )}</text>`,
  );
  const limitX = x(1);
  targets.forEach((t, i) => {
    const y = TOP + i * ROW;
    const share = shares[i] ?? 0;
    const color = t.met ? '#2e7d32' : '#c62828';
    const end = x(share);
    // A bar that fills the axis (capped, or near it) carries its label inside, in white.
    const inside = end > W - RIGHT - 20;
    const label = `${shown(t)}  (target ${t.target})${share > maxShare ? ', off the scale' : ''}`;
    parts.push(
      `<text x="${LEFT - 10}" y="${y + 20}" text-anchor="end">${esc(t.measure)}</text>`,
      `<rect x="${LEFT}" y="${y + 6}" width="${Math.max(1, end - LEFT).toFixed(1)}" height="20" fill="${color}" opacity="0.85"/>`,
      inside
        ? `<text x="${(end - 6).toFixed(1)}" y="${y + 20}" text-anchor="end" fill="#fff">${esc(label)}</text>`
        : `<text x="${(end + 6).toFixed(1)}" y="${y + 20}" fill="#222">${esc(label)}</text>`,
    );
  });
  const bottom = TOP + rows * ROW;
  parts.push(
    `<line x1="${limitX.toFixed(1)}" y1="${TOP - 4}" x2="${limitX.toFixed(1)}" y2="${bottom + 4}" stroke="#333" stroke-dasharray="4 3"/>`,
    `<text x="${limitX.toFixed(1)}" y="${bottom + 20}" text-anchor="middle" fill="#333">target</text>`,
    `<line x1="${LEFT}" y1="${TOP - 4}" x2="${LEFT}" y2="${bottom + 4}" stroke="#999"/>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
