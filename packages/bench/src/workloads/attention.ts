/**
 * W4: RFFAttentionKernel softmax features and linear attention φ(Q)(φ(K)ᵀV) against exact softmax
 * attention, versus n. Each (backend, variant, n) runs in a child process for a clean peak RSS.
 */
import os from 'node:os';
import { runChild, type W4ChildSpec, type W4Variant } from '../child-protocol.js';
import type { Outcome } from '../harness.js';
import { summarize } from '../stats.js';
import type { CaseResult } from '../types.js';
import { outcomeText, type Ctx } from './common.js';
import { singleRunCap } from '../config.js';

const KEYS = { linear: ['features', 'linear'], exact: ['exact'], causal: ['causal'] } as const;
type Key = 'features' | 'linear' | 'exact' | 'causal';

const LABELS: Record<Key, string> = {
  features: 'RFFAttentionKernel softmax features φ(Q)',
  linear: 'linearAttention φ(Q)(φ(K)ᵀV) / φ(Q)(φ(K)ᵀ1)',
  exact: 'softmaxAttention (exact, n×n scores)',
  causal: 'linearAttention causal (chunked prefix sums, chunk 64)',
};

/** Chunk of core's causal prefix sums (its default), for the flop count. */
const CAUSAL_CHUNK = 64;

/** Floating-point operations of one run of a W4 key (dv = d). */
export function w4Flops(key: Key, n: number, d: number, D: number): number {
  const features = 2 * n * d * D;
  if (key === 'features') return features;
  if (key === 'linear') return 2 * features + 2 * (2 * n * D * d);
  if (key === 'exact') return 2 * (2 * n * n * d);
  // Per row: the (chunk × chunk) products with φ(K) and V, φ(q)·S, and the running sum φ(k)vᵀ.
  return 2 * features + n * (2 * CAUSAL_CHUNK * (D + d) + 4 * D * d);
}

/** Float32 n×n matrices exact softmax attention keeps alive at once (scores, scaled, shifted, exp, weights). */
const EXACT_LIVE_MATRICES = 5;

/** Bytes exact attention needs at n, roughly. */
export function exactBytes(n: number): number {
  return EXACT_LIVE_MATRICES * n * n * 4;
}

export async function runW4(ctx: Ctx): Promise<CaseResult[]> {
  const { ns, causalNs, d, D, policy, oneChildPerN } = ctx.config.w4;
  const memLimit = os.totalmem() / 2;
  const table = new Map<string, Record<string, Outcome>>();
  const put = (key: Key, n: number, backend: string, o: Outcome): void => {
    const id = `${key}/${n}`;
    const row = table.get(id) ?? {};
    row[backend] = o;
    table.set(id, row);
  };
  const timeoutFor = (backend: string): number => 2 * (singleRunCap(ctx.config, backend) + policy.capMs) + 60000;
  const record = (
    b: string,
    variants: readonly W4Variant[],
    n: number,
    reply: Awaited<ReturnType<typeof runChild>>,
  ): void => {
    const keys = variants.flatMap((v) => KEYS[v]);
    for (const k of keys) {
      if (!reply.ok) {
        put(k, n, b, { status: 'error', error: reply.reason });
        continue;
      }
      const r = reply.results.find((x) => x.key === k && x.n === n);
      put(
        k,
        n,
        b,
        r?.measurement
          ? { status: 'ok', ...r.measurement, summary: summarize(r.measurement.samples) }
          : { status: 'error', error: r?.error ?? 'no result' },
      );
    }
    ctx.log(`  w4 ${b} n=${n}: ${keys.map((k) => `${k} ${outcomeText(table.get(`${k}/${n}`)?.[b])}`).join(', ')}`);
  };
  for (const b of ctx.backends) {
    if (!oneChildPerN) {
      // Quick run: one child per backend for every variant and n (peaks are per key all the same).
      const fits = ns.filter((n) => exactBytes(n) <= memLimit);
      const reply = await runChild(
        { kind: 'w4', backend: b.id, variants: ['linear', 'exact', 'causal'], ns, causalNs, d, D, policy },
        timeoutFor(b.id) * ns.length,
      );
      for (const n of ns)
        record(
          b.id,
          [
            ...(['linear'] as const),
            ...(fits.includes(n) ? (['exact'] as const) : []),
            ...(causalNs.includes(n) ? (['causal'] as const) : []),
          ],
          n,
          reply,
        );
      continue;
    }
    const cap = singleRunCap(ctx.config, b.id);
    let linearLast: { n: number; ms: number } | undefined;
    for (const variant of ['linear', 'exact', 'causal'] as const) {
      const keys = KEYS[variant];
      const lead: Key = variant === 'linear' ? 'linear' : variant;
      const power = variant === 'exact' ? 2 : 1;
      // Causal attention costs at least what linear attention does: start from its last time.
      let last: { n: number; ms: number } | undefined = variant === 'causal' ? linearLast : undefined;
      let stop: string | undefined;
      for (const n of variant === 'causal' ? causalNs : ns) {
        if (variant === 'exact' && exactBytes(n) > memLimit) {
          for (const k of keys)
            put(k, n, b.id, {
              status: 'skipped',
              note: `exact attention keeps ~${EXACT_LIVE_MATRICES} n×n float32 matrices: ~${(exactBytes(n) / 2 ** 30).toFixed(0)} GiB at n = ${n}, more than half the RAM`,
            });
          continue;
        }
        if (!stop && last) {
          const projected = last.ms * (n / last.n) ** power;
          const from =
            variant === 'causal' && last === linearLast
              ? `non-causal linear attention at n = ${last.n}, a lower bound`
              : `n = ${last.n}`;
          if (projected > cap)
            stop = `projected ${(projected / 1000).toFixed(0)} s per run from ${from} (${power === 2 ? 'quadratic' : 'linear'} in n), over the ${(cap / 1000).toFixed(0)} s cap`;
        }
        if (stop) {
          for (const k of keys) put(k, n, b.id, { status: 'skipped', note: stop });
          continue;
        }
        const spec: W4ChildSpec = { kind: 'w4', backend: b.id, variants: [variant], ns: [n], d, D, policy };
        record(b.id, [variant], n, await runChild(spec, timeoutFor(b.id)));
        const o = table.get(`${lead}/${n}`)?.[b.id];
        if (o?.status === 'ok') last = { n, ms: o.summary.median };
        if (variant === 'linear' && o?.status === 'ok') linearLast = last;
        else stop = `not run: failed at n = ${n}`;
      }
    }
  }
  const cases: CaseResult[] = [];
  for (const key of ['features', 'linear', 'exact', 'causal'] as const) {
    for (const n of key === 'causal' ? causalNs : ns) {
      cases.push({
        workload: 'W4',
        id: `w4/${key}/n=${n}`,
        label: `${LABELS[key]}, n = ${n}, d = ${d}${key === 'exact' ? '' : `, D = ${D}`}`,
        params: { variant: key, n, d, D },
        flops: w4Flops(key, n, d, D),
        outcomes: table.get(`${key}/${n}`) ?? {},
      });
    }
  }
  return cases;
}
