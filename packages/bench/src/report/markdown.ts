/** results/latest.md: the machine, what ran, the targets, then one table per workload. */
import type { Outcome } from '../harness.js';
import { pairedRatio } from '../stats.js';
import { CPU_BACKENDS } from '../backends.js';
import { okOutcome, torchBest } from '../lookup.js';
import { blasText, OPENBLAS_FIX, torchAnchorProblem } from '../torch.js';
import type { BenchResults, CaseResult } from '../types.js';
import { TFJS_DIRECT } from '../workloads/matmul.js';

class Notes {
  readonly list: string[] = [];
  ref(text: string): string {
    let i = this.list.indexOf(text);
    if (i < 0) i = this.list.push(text) - 1;
    return `<sup>[${i + 1}]</sup>`;
  }
  render(): string {
    return this.list.length
      ? `\n${this.list.map((t, i) => `<sup>[${i + 1}]</sup> ${t.replace(/\|/g, '\\|')}`).join('  \n')}\n`
      : '';
  }
}

/** A duration with its unit: "0.412 ms", "43.7 ms", "486 ms", "2.66 s". */
export function msText(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10000 ? 1 : 2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

function cell(o: Outcome | undefined, notes: Notes, value?: (o: Extract<Outcome, { status: 'ok' }>) => string): string {
  if (!o) return '–';
  if (o.status === 'error') return `error${notes.ref(o.error)}`;
  if (o.status === 'skipped') return `skipped${notes.ref(o.note)}`;
  const text = value ? value(o) : spreadText(o);
  return o.note ? `${text}${notes.ref(o.note)}` : text;
}

function spreadText(o: Extract<Outcome, { status: 'ok' }>): string {
  const s = o.summary;
  if (s.n < 2) return `${msText(s.median)} (1 run)`;
  const half = ((s.q3 - s.q1) / 2 / s.median) * 100;
  return `${msText(s.median)} ±${half < 1 ? half.toFixed(1) : half.toFixed(0)}%`;
}

function columnsOf(r: BenchResults, cases: readonly CaseResult[]): string[] {
  const ids = r.backends.filter((b) => b.available).map((b) => b.id);
  for (const c of cases) for (const k of Object.keys(c.outcomes)) if (!ids.includes(k)) ids.push(k);
  return ids;
}

/** A Markdown table; the first `textColumns` columns are left-aligned, the rest (numbers) right-aligned. */
function table(header: readonly string[], rows: readonly (readonly string[])[], textColumns = 1): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `|${header.map((_, i) => (i < textColumns ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

function caseTable(
  r: BenchResults,
  cases: readonly CaseResult[],
  notes: Notes,
  opts: {
    label?: (c: CaseResult) => string;
    torch?: boolean;
    extra?: { title: string; value: (c: CaseResult) => string };
  } = {},
): string {
  const cols = columnsOf(r, cases);
  const header = [
    'case',
    ...cols,
    ...(opts.torch && r.torch?.available ? ['PyTorch CPU'] : []),
    ...(opts.extra ? [opts.extra.title] : []),
  ];
  const rows = cases.map((c) => [
    opts.label ? opts.label(c) : c.label,
    ...cols.map((id) => cell(c.outcomes[id], notes)),
    ...(opts.torch && r.torch?.available
      ? [
          (() => {
            const b = torchBest(r, c.id);
            return b ? `${msText(b.ms)} (${b.threads} thr)` : '–';
          })(),
        ]
      : []),
    ...(opts.extra ? [opts.extra.value(c)] : []),
  ]);
  return table(header, rows);
}

/**
 * For a W7 step case, its time over its forward case's per backend, as the median of per-round
 * ratios: "js 2.4x, tfjs-wasm 2.1x".
 */
function gradientRatios(r: BenchResults, c: CaseResult): string {
  if (!c.id.endsWith('/value-and-grads')) return '';
  const forward = r.cases.find((f) => f.id === c.id.replace(/value-and-grads$/, 'forward'));
  const parts = Object.entries(c.outcomes).flatMap(([id, o]) => {
    const f = forward?.outcomes[id];
    // The step ran right after its forward pass in each round (workloads/gradients.ts).
    return o.status === 'ok' && f?.status === 'ok'
      ? [`${id} ${pairedRatio(o.samples, f.samples).ratio.toFixed(2)}x`]
      : [];
  });
  return parts.join(', ') || '–';
}

/** "+1953 (peak 2101; tf 1950)": rise of RSS during a run, absolute peak, tfjs's own peak (MiB). */
function memText(o: Extract<Outcome, { status: 'ok' }>): string {
  if (o.peakGrowthMiB === undefined) return '–';
  const tf = o.tfjsPeakBytes !== undefined ? `; tf ${(o.tfjsPeakBytes / 2 ** 20).toFixed(0)}` : '';
  return `+${o.peakGrowthMiB.toFixed(0)} (peak ${(o.peakRssMiB ?? 0).toFixed(0)}${tf})`;
}

const ratioText = (v: number): string =>
  Number.isFinite(v) ? (v >= 10 ? `${v.toFixed(1)}x` : `${v.toFixed(2)}x`) : '–';

/** "PyTorch side-by-side: torch 1.13 (/usr/bin/python3) on OpenBLAS 0.3.21 (pthread, core Zen) …". */
function torchLine(r: BenchResults): string {
  const t = r.torch!;
  if (!t.available) return `PyTorch side-by-side: not run: ${t.reason}.`;
  const used = Object.entries(t.threadsUsed)
    .map(([n, u]) => `${n}: torch ${u.torch}${u.blas !== undefined ? `, BLAS ${u.blas}` : ''}`)
    .join('; ');
  return `PyTorch side-by-side: torch ${t.version} (${t.python}) on **${blasText(t.blas)}**${t.blas.config ? ` [${t.blas.config}]` : ''}; torch's build flag says BLAS_INFO=${t.blas.buildInfo ?? '?'}, the library is read from the process's memory maps. Each case timed with ${t.threadCounts.join(' and ')} thread(s) (threads set → reported: ${used}); the faster counts. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from torch's environment.`;
}

/** Every case torch ran, next to each CPU backend (time, and its ratio to torch's best). */
function sideBySide(r: BenchResults): string {
  const t = r.torch;
  if (!t?.available) return '';
  const ids = Object.keys(t.cases);
  const cases = r.cases.filter((c) => ids.includes(c.id));
  const cols = r.backends.filter((b) => b.available && CPU_BACKENDS.includes(b.id)).map((b) => b.id);
  const gflops = (c: CaseResult, ms: number): string =>
    c.workload === 'matmul' && c.flops ? `${(c.flops / ms / 1e6).toFixed(1)} GFLOP/s` : msText(ms);
  const rows = cases.map((c) => {
    const best = torchBest(r, c.id)!;
    return [
      c.id,
      `${gflops(c, best.ms)} (${best.threads} thr)`,
      ...t.threadCounts.map((n) => {
        const s = t.cases[c.id]?.[String(n)];
        return s ? gflops(c, s.median) : '–';
      }),
      ...cols.map((id) => {
        const o = okOutcome(c, id);
        if (!o) return '–';
        const share = best.ms / o.summary.median;
        return `${gflops(c, o.summary.median)} (${c.workload === 'matmul' ? `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}% of torch` : ratioText(o.summary.median / best.ms)})`;
      }),
    ];
  });
  const title = `## PyTorch side-by-side (torch ${t.version} on ${t.blas.name}${t.blas.version ? ` ${t.blas.version}` : ''}${t.blas.reference ? ' — REFERENCE BLAS, not a valid anchor' : ''})`;
  return [
    title,
    '',
    "The torch equivalent of each workload, written as a Python user would (torch ops, float32; W3 with `torch.cdist`, W4 FAVOR+ features with the Performer stabilisers, causal attention by chunks of 64 with running sums), same shapes. Each backend cell: its median and, in parentheses, its time ÷ torch's best (matmul: GFLOP/s and the share of torch's).",
    '',
    table(['case', 'torch (best)', ...t.threadCounts.map((n) => `torch ${n} thr`), ...cols], rows),
    ...(t.blas.reference ? ['', `To measure against what users run: \`${OPENBLAS_FIX}\`.`] : []),
  ].join('\n');
}

export function renderMarkdown(r: BenchResults, charts: readonly string[]): string {
  const m = r.machine;
  const notes = new Notes();
  const out: string[] = [];
  const chart = (name: string, alt: string): void => {
    if (charts.includes(name)) out.push(`\n![${alt}](${name})\n`);
  };
  out.push(`# spectrans benchmarks${r.quick ? ' (quick run: small sizes, harness check only)' : ''}\n`);
  out.push(
    [
      `- **Machine:** ${m.cpu}, ${m.cores} logical cores${m.cpuQuota ? ` (cgroup quota ${m.cpuQuota})` : ''}, ${m.ramGiB} GiB RAM, ${m.os} ${m.arch}; SIMD: ${m.simd}`,
      `- **Runtime:** Node ${m.node} (V8 ${m.v8})${m.display ? `, X display ${m.display}` : ''}${m.glRenderer ? `, GL renderer: ${m.glRenderer}` : ''}`,
      `- **Date:** ${m.date} · run took ${r.durationS.toFixed(0)} s · load average at start ${m.loadAverage.join(' / ')} (shared machine)${m.commit ? ` · commit ${m.commit}` : ''}`,
    ].join('\n'),
  );
  out.push('\n## Backends (engine/mode that actually ran)\n');
  out.push(
    table(
      ['backend', 'status', 'what ran (or why not)', 'threads', 'start-up'],
      r.backends.map((b) => [
        b.id,
        b.available ? 'ran' : 'unavailable',
        b.available ? (b.ran ?? '') : (b.reason ?? ''),
        b.threads !== undefined ? String(b.threads) : '',
        b.startMs !== undefined ? msText(b.startMs) : '',
      ]),
      3,
    ),
  );
  if (r.torch) out.push(`\n${torchLine(r)}`);
  const problem = torchAnchorProblem(r.torch);
  if (problem)
    out.push(
      `\n> **WARNING: the PyTorch anchor is not valid.** ${problem}. Every target against torch is reported but not judged.`,
    );

  out.push('\n## Targets\n');
  out.push(
    'Each target per backend judged (the backends table marks which), ratios measured side by side in this run; where a target is missed, the last column says by how much.\n',
  );
  out.push(
    table(
      ['target', 'backend', 'goal', 'achieved', 'met', 'missed by'],
      r.targets.map((t) => [
        t.title,
        t.subject ?? 'all',
        t.goal,
        t.achieved,
        t.pass === undefined ? 'n/a' : t.pass ? 'yes' : '**no**',
        t.missedBy ?? '',
      ]),
      6,
    ),
  );
  out.push('');
  for (const t of r.targets) out.push(`- **${t.title}${t.subject ? ` (${t.subject})` : ''}:** ${t.detail}`);
  if (r.torch?.available) out.push(`\n${sideBySide(r)}`);

  const mm = r.cases.filter((c) => c.workload === 'matmul');
  if (mm.length) {
    out.push('\n## Matmul throughput (GFLOP/s, float32, the roofline of everything else)\n');
    const cols = columnsOf(r, mm);
    const rows = mm.map((c) => [
      `${c.params['n']}×${c.params['n']}`,
      ...cols.map((id) =>
        cell(c.outcomes[id], notes, (o) =>
          c.flops ? `${(c.flops / o.summary.median / 1e6).toFixed(2)} (${msText(o.summary.median)})` : '',
        ),
      ),
      ...(r.torch?.available
        ? [
            (() => {
              const b = torchBest(r, c.id);
              return b && c.flops ? `${(c.flops / b.ms / 1e6).toFixed(2)} (${b.threads} thr)` : '–';
            })(),
          ]
        : []),
      (() => {
        const js = okOutcome(c, 'js');
        const ref = okOutcome(c, 'tfjs-cpu') ?? okOutcome(c, TFJS_DIRECT);
        return js && ref ? ratioText(pairedRatio(ref.samples, js.samples).ratio) : '–';
      })(),
    ]);
    out.push(table(['size', ...cols, ...(r.torch?.available ? ['PyTorch CPU'] : []), 'js ÷ tfjs cpu (speed)'], rows));
    out.push(`\n\`${TFJS_DIRECT}\` is tf.matMul on tfjs-core's cpu engine without spectrans in between (reference).`);
    chart('matmul.svg', 'matmul GFLOP/s per backend');
  }

  const w1 = r.cases.filter((c) => c.workload === 'W1');
  if (w1.length) {
    out.push('\n## W1 feature maps, forward (time per call, result read back to the host)\n');
    out.push(
      caseTable(r, w1, notes, {
        torch: true,
        extra: {
          title: 'fastest CPU ÷ torch',
          value: (c) => {
            const t = torchBest(r, c.id);
            const best = CPU_BACKENDS.map((id) => okOutcome(c, id)?.summary.median).filter(
              (v): v is number => v !== undefined,
            );
            return t && best.length ? ratioText(Math.min(...best) / t.ms) : '–';
          },
        },
      }),
    );
  }
  const w2 = r.cases.filter((c) => c.workload === 'W2');
  if (w2.length) {
    out.push('\n## W2 kernelApproximation\n');
    out.push(caseTable(r, w2, notes, { torch: true }));
  }
  chart('w1-w2.svg', 'W1 and W2 time per backend');

  const w3 = r.cases.filter((c) => c.workload === 'W3');
  if (w3.length) {
    out.push('\n## W3 exact kernels: pairwise distances (`compute`) vs the naive (n, m, d) difference tensor\n');
    out.push(
      "The naive baseline is the Python reference's approach written with core ops on the same backend: `evaluateDifference(x[..., :, None, :] − y[..., None, :, :])`.\n",
    );
    out.push(caseTable(r, w3, notes, { torch: true }));
    const cdist = w3.filter((c) => c.params['approach'] === 'cdist');
    const cols = columnsOf(r, w3);
    out.push('\nSpeed-up of `compute` over the naive baseline (paired per round):\n');
    out.push(
      table(
        ['case', ...cols],
        cdist.map((c) => {
          const naive = w3.find((x) => x.id === c.id.replace('/cdist/', '/naive/'));
          return [
            c.label.replace(/ compute \(pairwise distances\)/, ''),
            ...cols.map((id) => {
              const a = okOutcome(c, id);
              const b = okOutcome(naive, id);
              return a && b ? ratioText(pairedRatio(b.samples, a.samples).ratio) : '–';
            }),
          ];
        }),
      ),
    );
    const large = w3.filter((c) => !c.id.endsWith('batched'));
    if (large.length) {
      out.push(
        "\nPeak memory (MiB): rise of the child process's RSS during a run above its RSS just before the run, with the absolute peak in parentheses:\n",
      );
      out.push(
        table(
          ['case', ...cols],
          large.map((c) => [c.label, ...cols.map((id) => cell(c.outcomes[id], notes, memText))]),
        ),
      );
      const n = Number(large[0]!.params['n']);
      const d = Number(large[0]!.params['d']);
      out.push(
        `\nFor scale: one (n, m) float32 matrix is ${((n * n * 4) / 2 ** 20).toFixed(0)} MiB; one (n, m, d) tensor is ${((n * n * d * 4) / 2 ** 20).toFixed(0)} MiB.`,
      );
    }
    chart('w3.svg', 'W3 time');
    chart('w3-memory.svg', 'W3 peak memory');
  }

  const w4 = r.cases.filter((c) => c.workload === 'W4');
  if (w4.length) {
    out.push('\n## W4 attention vs sequence length (d = 64, D = 256; one child process per backend, variant and n)\n');
    out.push(caseTable(r, w4, notes, { torch: true, label: (c) => `${c.params['variant']} n=${c.params['n']}` }));
    const cols = columnsOf(r, w4);
    out.push(
      "\nPeak memory (MiB): rise of the child's RSS during a run, absolute peak RSS, and for tfjs `tf.profile()` peak bytes (its own accounting):\n",
    );
    out.push(
      table(
        ['case', ...cols],
        w4
          .filter((c) => c.params['variant'] !== 'features')
          .map((c) => [
            `${c.params['variant']} n=${c.params['n']}`,
            ...cols.map((id) => cell(c.outcomes[id], notes, memText)),
          ]),
      ),
    );
    chart('w4-time.svg', 'W4 time vs n');
    chart('w4-memory.svg', 'W4 peak memory vs n');
  }

  const w5 = r.cases.filter((c) => c.workload === 'W5');
  if (w5.length) {
    out.push('\n## W5 parameter setup (constructor until the parameters are on the backend)\n');
    out.push(caseTable(r, w5, notes));
  }
  const w6 = r.cases.filter((c) => c.workload === 'W6');
  if (w6.length) {
    out.push('\n## W6 spectral: TruncatedSVDKernel\n');
    out.push(caseTable(r, w6, notes));
  }

  const w7 = r.cases.filter((c) => c.workload === 'W7');
  if (w7.length) {
    out.push('\n## W7 gradients: one valueAndGrads step against its forward pass (goal: at most 3x)\n');
    out.push(
      caseTable(r, w7, notes, {
        extra: { title: 'step / forward (median of per-round ratios)', value: (c) => gradientRatios(r, c) },
      }),
    );
  }

  const inProcess = r.cases.filter(
    (c) => ['W1', 'W2', 'W6'].includes(c.workload) || (c.workload === 'W3' && c.id.endsWith('batched')),
  );
  if (inProcess.length) {
    const cols = columnsOf(r, inProcess);
    out.push('\n## Peak memory of the in-process cases\n');
    out.push(
      "Largest rise of the bench process's RSS during one run above the RSS just before it (MiB), and for tfjs the peak bytes of its own accounting (`tf.profile()`). Allocator reuse between cases makes these lower bounds; W3 at n = m = large and W4 above ran in fresh child processes.\n",
    );
    out.push(
      table(
        ['case', ...cols],
        inProcess.map((c) => [
          c.id,
          ...cols.map((id) =>
            cell(c.outcomes[id], notes, (o) =>
              o.peakGrowthMiB === undefined
                ? '–'
                : `+${o.peakGrowthMiB.toFixed(0)}${o.tfjsPeakBytes !== undefined ? ` (tf ${(o.tfjsPeakBytes / 2 ** 20).toFixed(0)})` : ''}`,
            ),
          ),
        ]),
      ),
    );
  }

  if (r.accuracy) {
    const a = r.accuracy;
    out.push(`\n## Accuracy of the Gram approximation vs D\n`);
    out.push(
      `Relative Frobenius error ‖Φ(x)Φ(x)ᵀ − K‖_F / ‖K‖_F on x ~ N(0, I), n = ${a.n}, d = ${a.d}, σ = ${a.sigma['gaussian']!.toFixed(2)} (Gaussian) and ${a.sigma['laplacian']} (Laplacian), mean ± standard deviation over ${a.seeds} seeds, float64 on ${a.backend} (the estimator's error, not a backend's rounding).\n`,
    );
    const Ds = a.series[0]?.points.map((p) => p.D) ?? [];
    out.push(
      table(
        ['D', ...a.series.map((s) => s.label)],
        Ds.map((D, i) => [
          String(D),
          ...a.series.map((s) => {
            const p = s.points[i]!;
            return `${p.mean.toFixed(4)} ± ${p.std.toFixed(4)}`;
          }),
        ]),
      ),
    );
    out.push(
      `\nLog-log slopes (1/√D is −0.5): ${a.series.map((s) => `${s.label} ${a.slopes[s.id]!.toFixed(3)}`).join(', ')}.`,
    );
    chart('accuracy.svg', 'accuracy vs D');
  }

  out.push('\n## Method\n');
  out.push(
    [
      '- Every backend gets the same inputs (Philox-seeded N(0, 1), uploaded once per case, outside the clock) and the same kernel seeds.',
      '- Time is wall-clock from the call to the result read back on the host (`await tensor.data()`), so asynchronous backends are fully counted.',
      '- Each case: one untimed warm-up run per backend (compilation, first use), then timed rounds in which every backend runs once in turn, so drift on the shared machine hits all backends alike; a backend stops after its time budget once it has its minimum number of runs. Cells show the median and ± half the interquartile range relative to the median; ratios between backends are medians of per-round ratios.',
      "- A full garbage collection runs before every timed run of 10 ms or more, followed by a 10 ms pause so that its concurrent sweeping does not compete with a multi-threaded run for the cores. Memory: the kernel's RSS high-water mark is reset just before each run (`/proc/self/clear_refs`) and read after it (`VmHWM`); tables show the largest rise over the RSS just before the run, and the absolute peak. W3 at n = m = large and every W4 point run in a child process of their own (same Node and tsx loader, after a small untimed run that compiles the same code paths), so allocator state from other workloads does not hide or inflate the peak. For tfjs, `tf.profile()` adds tfjs's own peak bytes (wasm memory never shrinks, so RSS rises only the first time).",
      "- Thread scaling (matmul against the backend's own 1-thread instance): the pair runs back to back in every round, at 1024 until 15 rounds are clean (other processes used under 0.3 cores during both runs, read from `/proc/stat` less this process's CPU time; at most 60 rounds); the target is the median of the clean rounds' ratios, and is not judged with fewer than 8.",
      "- 'Not slower than backend-js' is judged on the runs: a case over the limit is missed only when a one-sided test says its runs are slower beyond run-to-run scatter (Wilcoxon signed-rank on per-round ratios for cases timed in this process, Mann–Whitney for child-process cases; the target's cases as one family, by Holm's step-down procedure at 0.05, so that the chance of calling any same-speed case slower is at most 5% per run), and is listed as within noise otherwise.",
      '- Exact softmax attention keeps about five n×n float32 matrices alive; it is skipped where they would not fit in half the RAM. A size whose projected single run exceeds the cap (5 s; 40 s for the js reference backend, which gets the full sweeps) is skipped with a note: projections are linear in n for the feature-map paths, quadratic for exact attention, and by work ratio from the batched case for W3 at n = m = large. A run of 2 s or more counts as a timed run even when it is the warm-up (the code is warm from smaller inputs by then).',
      '- Each workload has a planned start; one that starts late (a busy machine) gets proportionally smaller budgets and caps (noted below), so the full run stays under 10 minutes.',
      '- Benchmarks are not tests: nothing here asserts on time. `pnpm --filter @spectrans/bench test` runs `--quick` (small sizes) only to keep the harness working.',
    ].join('\n'),
  );
  if (r.notes.length) out.push(`\n## Notes\n\n${r.notes.map((n) => `- ${n}`).join('\n')}`);
  out.push(notes.list.length ? `\n### Footnotes\n${notes.render()}` : '');
  return `${out.join('\n')}\n`;
}
