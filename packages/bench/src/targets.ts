/**
 * The targets, computed from one run's results (ratios within the run): the performance targets
 * of the backends marked `targets` in the backends table (perf-targets.ts), then run-wide checks.
 */
import { okOutcome, w4ScalingPair } from './lookup.js';
import { computePerfTargets } from './perf-targets.js';
import { pairedRatio } from './stats.js';
import type { BenchResults, TargetResult } from './types.js';
import { TFJS_DIRECT } from './workloads/matmul.js';

export { okOutcome, torchBest, w4ScalingPair } from './lookup.js';

const x = (v: number): string => (v >= 10 ? `${v.toFixed(1)}x` : `${v.toFixed(2)}x`);

export function computeTargets(r: Pick<BenchResults, 'cases' | 'torch' | 'backends' | 'quick'>): TargetResult[] {
  const targets = [...computePerfTargets(r), ...computeTargetsAtSizes(r)];
  // The quick run's sizes are far too small for the targets: show its numbers, judge nothing.
  return r.quick
    ? targets.map(({ missedBy: _m, ...t }) => ({ ...t, achieved: `${t.achieved} (quick sizes)`, pass: undefined }))
    : targets;
}

function computeTargetsAtSizes(r: Pick<BenchResults, 'cases' | 'torch' | 'backends'>): TargetResult[] {
  const byId = new Map(r.cases.map((c) => [c.id, c]));
  const available = r.backends.filter((b) => b.available).map((b) => b.id);
  const targets: TargetResult[] = [];

  // 1. backend-js matmul >= 4x the tfjs cpu engine.
  {
    const parts: string[] = [];
    const ratios: number[] = [];
    let reference: string | undefined;
    for (const c of r.cases.filter((c) => c.workload === 'matmul')) {
      const js = okOutcome(c, 'js');
      const viaBackend = okOutcome(c, 'tfjs-cpu');
      const direct = okOutcome(c, TFJS_DIRECT);
      const ref = viaBackend ?? direct;
      if (!js || !ref) continue;
      reference = viaBackend ? 'tfjs-cpu (backend-tfjs)' : TFJS_DIRECT;
      const rr = pairedRatio(ref.samples, js.samples);
      ratios.push(rr.ratio);
      const other =
        viaBackend && direct ? `; vs ${TFJS_DIRECT} ${x(pairedRatio(direct.samples, js.samples).ratio)}` : '';
      parts.push(`${c.params['n']}: ${x(rr.ratio)} (IQR ${x(rr.q1)}–${x(rr.q3)})${other}`);
    }
    targets.push({
      id: 'matmul-vs-tfjs-cpu',
      title: 'backend-js matmul vs the tfjs cpu engine',
      goal: '≥ 4x at every size',
      achieved: ratios.length ? `${x(Math.min(...ratios))} (worst size)` : 'n/a',
      pass: ratios.length ? ratios.every((v) => v >= 4) : undefined,
      detail: ratios.length
        ? `speed-up of js over ${reference}, per size: ${parts.join(', ')}`
        : 'no tfjs cpu engine measured in this run',
    });
  }

  // 2. W3 exact kernels: faster than the naive difference tensor on every backend, memory O(nm).
  {
    const speedups: { label: string; v: number }[] = [];
    const notes: string[] = [];
    const mem: string[] = [];
    let memOk: boolean | undefined;
    let worstMem = 0;
    let nmMiB = 0;
    let dLarge = 0;
    for (const c of r.cases.filter((c) => c.workload === 'W3' && c.params['approach'] === 'cdist')) {
      const naive = byId.get(c.id.replace('/cdist/', '/naive/'));
      for (const b of available) {
        const fast = okOutcome(c, b);
        const slow = okOutcome(naive, b);
        const size = c.id.endsWith('batched') ? 'batched' : `n=${c.params['n']}`;
        if (fast && slow)
          speedups.push({
            label: `${b} ${c.params['kernel']} ${size}`,
            v: pairedRatio(slow.samples, fast.samples).ratio,
          });
        else if (fast && naive?.outcomes[b]?.status === 'error')
          notes.push(`${b} ${c.params['kernel']} ${size}: naive failed`);
        if (fast?.peakGrowthMiB !== undefined && !c.id.endsWith('batched')) {
          const n = Number(c.params['n']);
          const d = Number(c.params['d']);
          const nm = (n * n * 4) / 2 ** 20;
          const growth = fast.peakGrowthMiB;
          const naiveGrowth = slow?.peakGrowthMiB;
          worstMem = Math.max(worstMem, growth / nm);
          nmMiB = nm;
          dLarge = d;
          // O(n·m), not O(n·m·d): the rise stays well below one (n, m, d) difference tensor.
          const ok = growth < (nm * d) / 2;
          memOk = (memOk ?? true) && ok;
          mem.push(
            `${b} ${c.params['kernel']} ${growth.toFixed(0)} MiB = ${(growth / nm).toFixed(1)}·(n·m·4 B)${naiveGrowth === undefined ? '' : ` (naive ${naiveGrowth.toFixed(0)} MiB = ${(naiveGrowth / nm).toFixed(0)}·(n·m·4 B))`}`,
          );
        }
      }
    }
    const worst = speedups.reduce<{ label: string; v: number } | undefined>(
      (a, s) => (!a || s.v < a.v ? s : a),
      undefined,
    );
    targets.push({
      id: 'w3-vs-naive',
      title: 'W3 exact Gaussian/Laplacian: pairwise distances vs the (n, m, d) difference tensor',
      goal: 'faster on every backend',
      achieved: worst ? `${x(worst.v)} (slowest: ${worst.label})` : 'n/a',
      pass: speedups.length ? speedups.every((s) => s.v > 1) : undefined,
      detail: `speed-ups naive/compute: ${speedups.map((s) => `${s.label} ${x(s.v)}`).join(', ')}${notes.length ? `; ${notes.join('; ')}` : ''}`,
    });
    targets.push({
      id: 'w3-memory',
      title: 'W3 exact kernels at n = m = large: peak RSS growth',
      goal: 'O(n·m), not O(n·m·d): peak rise < ½ of one (n, m, d) float32 tensor',
      achieved: mem.length ? `${memOk ? 'O(n·m)' : 'above the bound'}: worst ${worstMem.toFixed(1)}·(n·m·4 B)` : 'n/a',
      pass: mem.length ? memOk : undefined,
      detail: mem.length
        ? `peak RSS rise during a run of compute (one (n, m) float32 matrix is ${nmMiB.toFixed(1)} MiB, one (n, m, d) tensor ${(nmMiB * dLarge).toFixed(0)} MiB): ${mem.join('; ')}`
        : 'large W3 not measured',
    });
  }

  // 3. W4: the feature-map path grows linearly in n.
  {
    const ns = [...new Set(r.cases.filter((c) => c.workload === 'W4').map((c) => Number(c.params['n'])))];
    const pair = w4ScalingPair(ns);
    const parts: string[] = [];
    const ratios: number[] = [];
    const crossovers: string[] = [];
    if (pair) {
      const [a, b] = pair;
      for (const be of available) {
        const fa = okOutcome(byId.get(`w4/features/n=${a}`), be);
        const fb = okOutcome(byId.get(`w4/features/n=${b}`), be);
        const la = okOutcome(byId.get(`w4/linear/n=${a}`), be);
        const lb = okOutcome(byId.get(`w4/linear/n=${b}`), be);
        if (fa && fb) {
          const rf = fb.summary.median / fa.summary.median;
          ratios.push(rf);
          parts.push(
            `${be}: features ${x(rf)}${la && lb ? `, linear attention ${x(lb.summary.median / la.summary.median)}` : ''}`,
          );
        }
      }
      for (const be of available) {
        const cross = [...ns]
          .sort((p, q) => p - q)
          .find((n) => {
            const lin = okOutcome(byId.get(`w4/linear/n=${n}`), be);
            const ex = okOutcome(byId.get(`w4/exact/n=${n}`), be);
            return lin && ex && lin.summary.median < ex.summary.median;
          });
        if (cross !== undefined) crossovers.push(`${be} from n = ${cross}`);
      }
    }
    const range = pair
      ? `${pair[1] / 1024 >= 1 ? `${pair[1] / 1024}k` : pair[1]}/${pair[0] / 1024 >= 1 ? `${pair[0] / 1024}k` : pair[0]}`
      : 'n/a';
    targets.push({
      id: 'w4-linear-scaling',
      title: `W4 softmax feature map: time ratio ${range}`,
      goal: `within 3.2x..4.8x (linear in n${pair ? `, ideal ${x(pair[1] / pair[0])}` : ''})`,
      achieved: ratios.length ? `${x(Math.min(...ratios))}..${x(Math.max(...ratios))}` : 'n/a',
      pass: ratios.length ? ratios.every((v) => v >= 3.2 && v <= 4.8) : undefined,
      detail: `${parts.join('; ')}${crossovers.length ? `. Linear attention beats exact: ${crossovers.join(', ')}` : ''}`,
    });
  }
  return targets;
}
