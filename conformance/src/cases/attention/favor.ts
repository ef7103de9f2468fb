/**
 * `attention/linear/favor-...`: FAVOR+ (positive softmax features) in linear attention: attention weights sum to 1 at every input
 * scale, outputs stay convex combinations of the values, and the estimator equals a float64 host
 * implementation of Performer's formula (Choromanski et al. 2021) wherever that one is representable.
 */
import { RFFAttentionKernel, linearAttention, ones, type DType, type Tensor } from '@spectrans/core';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase, expectWithin, take } from '../helpers.js';
import { hostPoints, points } from '../kernels/points.js';

const MAGNITUDES = [1, 10, 100, 1000] as const;
/** One set of sizes for every check (batch B, n positions, d inputs, dv values): backends that compile per shape compile once. */
const [B, N, DIM, DV] = [2, 24, 8, 3] as const;

/** Key mask keeping all but every third key (key 0 stays visible). */
function everyThirdHidden(ctx: CaseContext, m: number): Tensor {
  return ctx.input(
    Array.from({ length: m }, (_, j) => (j % 3 === 1 ? 0 : 1)),
    [m],
  );
}

/** Attention with v = 1 must return exactly 1 (weights sum to 1), whatever the scale of q and k. */
function normalisationCase(mag: number, dtype: DType): ConformanceCase {
  return dtypeCase(`attention/linear/favor-weights-sum-to-one/magnitude-${mag}`, dtype, async (ctx) => {
    const q = points(ctx, [B, N, DIM], 21 + mag, mag);
    const k = points(ctx, [B, N, DIM], 22 + mag, mag);
    const v = ctx.track(ones([B, N, DV], ctx.dtype, { backend: ctx.backend }));
    const mask = everyThirdHidden(ctx, N);
    const expected = new Float64Array(B * N * DV).fill(1);
    const rtol = ctx.tolerance('pipeline').rtol;
    for (const D of [16, 129]) {
      const map = ctx.track(
        new RFFAttentionKernel({ inputDim: DIM, numFeatures: D, seed: D, backend: ctx.backend, dtype: ctx.dtype }),
      );
      for (const causal of [false, true]) {
        for (const masked of [false, true]) {
          for (const chunkSize of causal ? [7] : [undefined]) {
            // 24 rows: four chunks of 8, one padded
            const out = await take(
              ctx,
              linearAttention(q, k, v, { featureMap: map, causal, mask: masked ? mask : undefined, chunkSize }),
            );
            const what = `magnitude ${mag}, D = ${D}, causal ${causal}, mask ${masked}, chunk ${chunkSize ?? 'default'}`;
            expectWithin(
              ctx,
              out,
              expected,
              { rtol: 4 * rtol, atol: 4 * rtol },
              `linearAttention(q, k, ones) = ones (${what})`,
            );
          }
        }
      }
      ctx.dispose(map);
    }
  });
}

/** Every output column lies between the smallest and largest value of that column (weights >= 0, sum 1). */
function convexityCase(dtype: DType): ConformanceCase {
  return dtypeCase('attention/linear/favor-outputs-are-convex-combinations', dtype, async (ctx) => {
    const map = ctx.track(
      new RFFAttentionKernel({ inputDim: DIM, numFeatures: 16, seed: 3, backend: ctx.backend, dtype: ctx.dtype }),
    );
    const host = hostPoints(ctx, [B, N, DV], 31);
    const v = ctx.input(host);
    const values = host.data;
    const t = ctx.tolerance('pipeline');
    for (const mag of MAGNITUDES) {
      const q = points(ctx, [B, N, DIM], 32, mag);
      const k = points(ctx, [B, N, DIM], 33, mag);
      for (const causal of [false, true]) {
        const out = await take(ctx, linearAttention(q, k, v, { featureMap: map, causal, chunkSize: 7 }));
        for (let at = 0; at < B * N * DV; at++) {
          const [b, i, c] = [Math.floor(at / (N * DV)), Math.floor(at / DV) % N, at % DV];
          let lo = Infinity;
          let hi = -Infinity;
          for (let j = 0; j < (causal ? i + 1 : N); j++) {
            const value = values[(b * N + j) * DV + c]!;
            lo = Math.min(lo, value);
            hi = Math.max(hi, value);
          }
          const o = out[at]!;
          const slack = 4 * t.rtol * Math.max(Math.abs(lo), Math.abs(hi)) + t.atol;
          ctx.check(
            o >= lo - slack && o <= hi + slack,
            () => `magnitude ${mag}, causal ${causal}: output [${b}, ${i}, ${c}] = ${o} outside [${lo}, ${hi}]`,
          );
        }
      }
    }
  });
}

/**
 * Performer's FAVOR+ in plain float64 on the host: φ(x) = exp(ωᵀx − ‖x‖²/2)/√D on inputs scaled by
 * d^(−1/4), out = φ(Q)(φ(K)ᵀV) / φ(Q)(φ(K)ᵀ1), causal by explicit prefix sums. No stabilisation: valid
 * where exp stays representable in float64.
 */
function favorReference(
  q: Float64Array,
  k: Float64Array,
  v: Float64Array,
  omega: Float64Array,
  n: number,
  d: number,
  D: number,
  dv: number,
  causal: boolean,
): Float64Array {
  const s = d ** -0.25;
  const features = (x: Float64Array): Float64Array => {
    const out = new Float64Array(n * D);
    for (let i = 0; i < n; i++) {
      let norm = 0;
      for (let c = 0; c < d; c++) norm += (s * x[i * d + c]!) ** 2;
      for (let r = 0; r < D; r++) {
        let z = 0;
        for (let c = 0; c < d; c++) z += s * x[i * d + c]! * omega[c * D + r]!;
        out[i * D + r] = Math.exp(z - norm / 2) / Math.sqrt(D);
      }
    }
    return out;
  };
  const fq = features(q);
  const fk = features(k);
  const out = new Float64Array(n * dv);
  for (let i = 0; i < n; i++) {
    let den = 0;
    const num = new Float64Array(dv);
    for (let j = 0; j < (causal ? i + 1 : n); j++) {
      let w = 0;
      for (let r = 0; r < D; r++) w += fq[i * D + r]! * fk[j * D + r]!;
      den += w;
      for (let c = 0; c < dv; c++) num[c] = num[c]! + w * v[j * dv + c]!;
    }
    for (let c = 0; c < dv; c++) out[i * dv + c] = num[c]! / den;
  }
  return out;
}

/** The stabilised computation is the same estimator: equal to the plain float64 formula where that is finite. */
function referenceCase(dtype: DType): ConformanceCase {
  return dtypeCase('attention/linear/favor-equals-host-performer', dtype, async (ctx) => {
    const D = 16;
    const map = ctx.track(
      new RFFAttentionKernel({ inputDim: DIM, numFeatures: D, seed: 9, backend: ctx.backend, dtype: ctx.dtype }),
    );
    const exported = await map.exportStateDict();
    const omega = Float64Array.from(exported.projection!.data, Number);
    const vh = hostPoints(ctx, [B, N, DV], 41);
    const v = ctx.input(vh);
    const t = ctx.tolerance('pipeline');
    for (const mag of [0.5, 1, 3]) {
      const qh = hostPoints(ctx, [B, N, DIM], 42, mag);
      const kh = hostPoints(ctx, [B, N, DIM], 43, mag);
      const [q, k] = [ctx.input(qh), ctx.input(kh)];
      for (const causal of [false, true]) {
        const out = await take(ctx, linearAttention(q, k, v, { featureMap: map, causal, chunkSize: 7 }));
        const expected = new Float64Array(B * N * DV);
        for (let b = 0; b < B; b++) {
          const rows = (x: Float64Array, width: number): Float64Array => x.subarray(b * N * width, (b + 1) * N * width);
          expected.set(
            favorReference(rows(qh.data, DIM), rows(kh.data, DIM), rows(vh.data, DV), omega, N, DIM, D, DV, causal),
            b * N * DV,
          );
        }
        // The weights carry the float rounding of exponents of size ~mag²·d: scale the tolerance.
        const scale = 10 * Math.max(1, mag * mag * DIM);
        expectWithin(
          ctx,
          out,
          expected,
          { rtol: scale * t.rtol, atol: scale * t.atol },
          `FAVOR+ vs float64 Performer (magnitude ${mag}, causal ${causal})`,
        );
      }
    }
  });
}

/** Every FAVOR+ case. */
export function favorCases(dtype: DType): ConformanceCase[] {
  return [...MAGNITUDES.map((mag) => normalisationCase(mag, dtype)), convexityCase(dtype), referenceCase(dtype)];
}
