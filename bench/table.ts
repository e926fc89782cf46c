import type { Side } from './bundles';
import type { BenchResults, TargetCheck } from './results';
import { DESIGNER_TARGETS, designerTarget } from './sections/designer-targets';
import { ratio } from './stats';

/** The printed report: one aligned table of measures, then the targets. */

type Row = [string, string, string, string];

function table(header: Row, rows: Row[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (r: Row) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const n = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

export function formatTable(r: BenchResults): string {
  const rows: Row[] = [];
  for (const s of Object.values(r.sequentialBySteps ?? {})) {
    rows.push(
      [
        `sequential N=${s.steps}: events (6N+5=${s.expectedEvents})${s.continuedAsNew.interpreter > 0 ? `, interpreter in ${s.continuedAsNew.interpreter + 1} runs` : ''}`,
        String(s.events.interpreter),
        String(s.events.handwritten),
        n(s.ratios.events, 2),
      ],
      [
        `sequential N=${s.steps}: wall ms (median of ${s.runs})`,
        n(s.wallMs.interpreter),
        n(s.wallMs.handwritten),
        n(s.ratios.wall, 2),
      ],
      [
        `sequential N=${s.steps}: CPU ms of the bench process`,
        n(s.cpuMs.interpreter),
        n(s.cpuMs.handwritten),
        n(s.ratios.cpu, 2),
      ],
      [
        `sequential N=${s.steps}: history bytes`,
        String(s.historyBytes.interpreter),
        String(s.historyBytes.handwritten),
        n(s.ratios.historyBytes, 2),
      ],
    );
  }
  if (r.fanOut) {
    const f = r.fanOut;
    rows.push(
      [
        `fan-out ${f.items} items x${f.concurrency}: events`,
        String(f.events.interpreter),
        String(f.events.handwritten),
        n(f.ratios.events, 2),
      ],
      [
        `fan-out ${f.items} items x${f.concurrency}: wall ms`,
        n(f.wallMs.interpreter),
        n(f.wallMs.handwritten),
        n(f.ratios.wall, 2),
      ],
      [
        `fan-out ${f.items} items x${f.concurrency}: CPU ms`,
        n(f.cpuMs.interpreter),
        n(f.cpuMs.handwritten),
        n(f.ratios.cpu, 2),
      ],
    );
  }
  if (r.replay) {
    const p = r.replay;
    rows.push([
      `replay ${p.steps}-step history: ms per 1,000 steps`,
      n(p.msPer1000Steps.interpreter),
      n(p.msPer1000Steps.handwritten),
      n(p.ratio, 2),
    ]);
    rows.push([
      `replay ${p.steps}-step history: CPU ms per 1,000 steps`,
      n(p.cpuMsPer1000Steps.interpreter),
      n(p.cpuMsPer1000Steps.handwritten),
      n(p.cpuRatio, 2),
    ]);
  }
  if (r.memory) {
    const m = r.memory;
    const label = (what: string) =>
      `memory, ${m.base} -> ${m.base + m.blocked * m.steps} cached flows: ${what}`;
    const row = (what: string, v: Record<Side, number>, q: number): Row => [
      label(what),
      n(v.interpreter),
      n(v.handwritten),
      n(q, 2),
    ];
    const of = (v: Record<Side, number>) => ratio(v.interpreter, v.handwritten);
    rows.push(
      row('RSS KiB per flow (threads, after GC)', m.rssKiBPerFlow, m.ratio),
      row('RSS KiB per flow (debugMode)', m.debugRssKiBPerFlow, m.debugRssRatio),
      row('workflow heap KiB per flow (debugMode)', m.workflowHeapKiBPerFlow, m.workflowHeapRatio),
      row('main heap KiB per flow (threads)', m.heapKiBPerFlow, m.heapRatio),
      row('main heap committed KiB per flow', m.heapTotalKiBPerFlow, of(m.heapTotalKiBPerFlow)),
      row('external KiB per flow', m.externalKiBPerFlow, of(m.externalKiBPerFlow)),
    );
  }
  const out = [table(['measure', 'interpreter', 'hand-written', 'ratio'], rows)];
  if (r.validation?.length) {
    out.push(
      table(
        ['validation (median ms)', 'parse', 'compile*', 'total'],
        r.validation.map((v) => [
          `${v.steps} steps, ${v.format}, ${Math.round(v.bytes / 1024)} KiB`,
          n(v.parseMs),
          n(v.compileMs),
          n(v.totalMs),
        ]),
      ),
      '* compile includes validation (schema and rules)',
    );
  }
  if (r.validationCli) {
    const v = r.validationCli;
    const reader = (name: string, key: 'shipped' | 'yaml'): Row => [
      name,
      n(v.coldParseMs[key]),
      `${n(v.coldMs[key])} (CPU ${n(v.coldCpuMs[key])})`,
      n(v.warmMs[key]),
    ];
    out.push(
      table(
        [`${v.steps} YAML steps as weft validates (median ms)`, 'parse', 'first', 'warm'],
        [reader('shipped reader', 'shipped'), reader('yaml package alone', 'yaml')],
      ),
      `first: parse + validate + compile once in a fresh process (${v.runs} processes each); yaml alone / shipped = ${n(v.yamlRatio, 2)}`,
    );
  }
  if (r.designer) {
    const d = r.designer;
    const mark = (ok: boolean) => (ok ? '✓' : '✗');
    const rows: Row[] = [];
    for (const z of d.sizes) {
      const at = `${z.steps.toLocaleString('en')} steps`;
      for (const [name, key] of [
        ['one keystroke in YAML → graph repainted', 'keystrokeMs'],
        ['a canvas edit (duplicate) → re-laid out and painted', 'canvasEditMs'],
        ['navigate → painted graph', 'navigateMs'],
      ] as const) {
        const limit = designerTarget(key, z.steps);
        rows.push([`${name}, ${at}`, `${n(z[key])} ms`, `< ${limit} ms`, mark(z[key] < limit)]);
      }
      const p = z.panFrameMs;
      const ok = p.median <= DESIGNER_TARGETS.panMedianMs && p.p95 <= DESIGNER_TARGETS.panP95Ms;
      rows.push([
        `pan frame at fit view, median / p95, ${at} (${z.nodes} nodes)`,
        `${n(p.median)} / ${n(p.p95)} ms`,
        `≤ ${DESIGNER_TARGETS.panMedianMs} / ≤ ${DESIGNER_TARGETS.panP95Ms} ms`,
        mark(ok),
      ]);
    }
    out.push(
      table(['designer (median)', 'value', 'target', ''], rows),
      `designer: ${d.runs.navigate} navigations, ${d.runs.keystroke} keystrokes, ${d.runs.canvasEdit} duplicates per size; load average ${d.loadAverage[0]} → ${d.loadAverage[1]}`,
    );
  }
  if (r.serveRss) {
    const m = r.serveRss;
    out.push(
      table(
        ['weft serve', 'before', 'after', 'ratio'],
        [
          [
            `serve RSS after ${m.flows} flows, MiB (${n(m.wallMs / 1000)} s)`,
            n(m.beforeMiB),
            n(m.afterMiB),
            n(m.ratio, 2),
          ],
        ],
      ),
    );
  }
  if (r.cli) {
    const c = r.cli;
    out.push(
      table(
        ['weft startup, median ms', 'node -e 0', 'weft', 'ratio'],
        [
          ['weft --version', n(c.nodeMs), n(c.versionMs), n(c.versionRatio, 2)],
          ['weft validate (small flow)', n(c.nodeMs), n(c.validateMs), n(c.validateRatio, 2)],
        ],
      ),
    );
  }
  if (r.weftTest) {
    const t = r.weftTest;
    out.push(
      table(
        [
          `weft test, ${t.cases} cases, median ms (${t.server})`,
          'no sleep',
          '30-day sleep',
          'ratio',
        ],
        [['wall time, start-up included', n(t.baselineMs), n(t.sleepMs), n(t.ratio, 2)]],
      ),
    );
  }
  if (r.package) {
    const k = r.package;
    out.push(
      table(
        ['installed package', 'packed KiB', 'unpacked KiB', 'dependencies'],
        [
          [
            `npm pack, ${k.files} files (direct / installed dependencies)`,
            n(k.packedKiB, 0),
            n(k.unpackedKiB, 0),
            `${k.directDependencies} / ${k.installedPackages}`,
          ],
        ],
      ),
    );
    out.push(
      table(
        ['installed weft, median ms', 'node -e 0', 'weft', 'ratio'],
        [['weft --version', n(k.nodeMs), n(k.versionMs), n(k.versionRatio, 2)]],
      ),
    );
  }
  if (r.expressions) {
    const e = r.expressions;
    out.push(
      table(
        ['largest in-budget expression (work budget)', 'task ms', 'vs 1 + 1', 'of 5 s'],
        (['fast', 'jsonata'] as const).map((path) => [
          `${path} path, ${e.worst[path].name} (${e.budget.work})`,
          n(e.worst[path].taskMs),
          `${n(e.worst[path].ratioOfBaseline, 1)} (1 + 1: ${n(e.baselineMs)} ms)`,
          n(e.worst[path].ratioOfLimit, 3),
        ]),
      ),
    );
  }
  if (r.cluster) out.push(...clusterTables(r.cluster));
  for (const [name, why] of Object.entries(r.skipped ?? {})) out.push(`skipped ${name}: ${why}`);
  for (const [name, why] of Object.entries(r.errors ?? {})) out.push(`FAILED ${name}: ${why}`);
  return out.join('\n\n');
}

export function formatTargets(targets: TargetCheck[]): string {
  return table(
    ['target', 'value', 'limit', 'met'],
    targets.map((t) => [
      t.measure,
      t.unit === 'ms' ? `${n(t.value)} ms` : n(t.value, 2),
      t.target,
      t.met ? 'yes' : 'NO',
    ]),
  );
}

/** The cluster section: throughput per side, then 1 -> 2 workers with every process's CPU. */
function clusterTables(c: NonNullable<BenchResults['cluster']>): string[] {
  const what = `${c.flows} flows x ${c.steps} steps, median of ${c.runs}`;
  const processes = Object.keys(c.scaling.cpuS.two);
  return [
    table(
      [`cluster (${c.cores} cores, shared): ${what}`, 'interpreter', 'hand-written', 'ratio'],
      [
        [
          'flows/s',
          n(c.flowsPerS.interpreter),
          n(c.flowsPerS.handwritten),
          n(c.throughputRatio, 2),
        ],
        [
          'activities/s',
          n(c.activitiesPerS.interpreter),
          n(c.activitiesPerS.handwritten),
          n(c.throughputRatio, 2),
        ],
      ],
    ),
    table(
      ['cluster, interpreter: 1 -> 2 worker processes', '1 worker', '2 workers', 'ratio'],
      [
        ['flows/s', n(c.scaling.flowsPerS.one), n(c.scaling.flowsPerS.two), n(c.scaling.ratio, 2)],
        [
          `cores used by all of these (of ${c.cores})`,
          n(c.scaling.coresUsed.one, 2),
          n(c.scaling.coresUsed.two, 2),
          '',
        ],
        ...processes.map(
          (p): Row => [
            `CPU s, ${p}`,
            p in c.scaling.cpuS.one ? n(c.scaling.cpuS.one[p] ?? 0, 2) : '-',
            n(c.scaling.cpuS.two[p] ?? 0, 2),
            '',
          ],
        ),
      ],
    ),
  ];
}
