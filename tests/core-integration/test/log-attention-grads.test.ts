/**
 * The backward rule of the fused logLinearAttention, on a backend-js whose fused op is exact float64
 * host attention: against central differences (random shapes, causal and not, several chunks, log
 * magnitudes far beyond exp's range), against the composed path's gradients (which differentiate
 * through the shifts: equal gradients show the shifts are constants), and recording through the op.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getBackend,
  grads,
  linearAttention,
  logLinearAttention,
  mul,
  RFFAttentionKernel,
  setBackend,
  sum,
  tensor,
  tidy,
  type Backend,
  type Tensor,
} from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';
import { compareGradients, relativeError, uniforms, type GradInput } from './gradcheck.js';
import { useJs } from './helpers.js';

/** Exact attention on log features in float64 on the host, shifted by each query's largest term. */
function hostAttention(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  [batches, n, m, D, dv]: [number, number, number, number, number],
  causal: boolean,
): Float64Array {
  const out = new Float64Array(batches * n * dv);
  for (let b = 0; b < batches; b++)
    for (let i = 0; i < n; i++) {
      const last = causal ? i : m - 1;
      const term = (j: number, r: number): number => q[(b * n + i) * D + r]! + k[(b * m + j) * D + r]!;
      let t = -Infinity;
      for (let j = 0; j <= last; j++) for (let r = 0; r < D; r++) t = Math.max(t, term(j, r));
      let den = 0;
      const num = new Float64Array(dv);
      for (let j = 0; j <= last; j++) {
        let w = 0;
        for (let r = 0; r < D; r++) w += Math.exp(term(j, r) - t);
        den += w;
        for (let c = 0; c < dv; c++) num[c]! += w * v[(b * m + j) * dv + c]!;
      }
      for (let c = 0; c < dv; c++) out[(b * n + i) * dv + c] = num[c]! / den;
    }
  return out;
}

/** A backend-js with an exact fused `logLinearAttention`, counting its calls. */
function exactFused(): { backend: Backend; calls: boolean[] } {
  const js = createJsBackend({ name: 'js-exact-fused' });
  const calls: boolean[] = [];
  const backend = {
    ...js,
    logLinearAttention(q, k, v, causal, outShape) {
      calls.push(causal);
      const [n, D] = q.shape.slice(-2) as [number, number];
      const m = k.shape[k.shape.length - 2]!;
      const dv = v.shape[v.shape.length - 1]!;
      const batches = outShape.slice(0, -2).reduce((a, s) => a * s, 1);
      const out = hostAttention(
        js.readSync!(q as never),
        js.readSync!(k as never),
        js.readSync!(v as never),
        [batches, n, m, D, dv],
        causal,
      );
      return js.fromArray(out, outShape, q.dtype);
    },
  } as Backend;
  return { backend, calls };
}

/** Gradients of Σ f ⊙ w for q, k, v on the current backend, as host arrays. */
function gradsOf(f: (q: Tensor, k: Tensor, v: Tensor) => Tensor, data: number[][], shapes: number[][]): number[][] {
  return tidy(() => {
    const [q, k, v] = data.map((d, i) => tensor(d, shapes[i]!, 'float64')) as [Tensor, Tensor, Tensor];
    const outShape = tidy(() => f(q, k, v).shape);
    const w = tensor(
      uniforms(
        outShape.reduce((a, b) => a * b, 1),
        99,
        0.5,
        1.5,
      ),
      outShape,
      'float64',
    );
    const g = grads(() => sum(mul(f(q, k, v), w)), { q, k, v });
    return [g.q, g.k, g.v].map((t) => Array.from(t.dataSync()));
  });
}

describe('logLinearAttention backward rule (fused op, float64)', () => {
  const fused = exactFused();
  let previous: Backend;
  beforeAll(async () => {
    await useJs();
    previous = getBackend();
    setBackend(fused.backend);
  });
  afterAll(() => {
    setBackend(previous);
  });

  // [batches, n, m, D, dv, chunk, log range]: several chunks, padding, one-row chunks, huge logs.
  const shapes: [number, number, number, number, number, number, number][] = [
    [1, 5, 7, 3, 2, 64, 3],
    [2, 6, 6, 4, 3, 2, 3],
    [1, 9, 9, 3, 2, 4, 40],
    [2, 7, 7, 5, 1, 1, 400],
    [1, 10, 10, 3, 2, 2, 60],
    [1, 13, 13, 2, 3, 8, 1],
    [1, 1, 1, 1, 1, 4, 5],
    [3, 3, 1, 1, 2, 2, 5],
  ];
  it.each(shapes.flatMap((s) => [false, true].map((causal) => [...s, causal] as const)))(
    'matches central differences: batches %i, n %i, m %i, D %i, dv %i, chunk %i, |log| < %i, causal %s',
    (batches, n, m0, D, dv, chunk, range, causal) => {
      const m = causal ? n : m0;
      const inputs: GradInput[] = [
        { shape: [batches, n, D], range: [-range, range] },
        { shape: [batches, m, D], range: [-range, range] },
        { shape: [batches, m, dv] },
      ];
      const before = fused.calls.length;
      const { analytic, numeric } = compareGradients(
        (q, k, v) => logLinearAttention(q, k, v, { causal, chunkSize: chunk }),
        inputs,
        batches * 100 + n,
        1e-6 * Math.max(1, range),
      );
      expect(fused.calls.length).toBeGreaterThan(before);
      for (const g of analytic) expect(g.every(Number.isFinite)).toBe(true);
      expect(relativeError(analytic, numeric)).toBeLessThan(range > 100 ? 1e-5 : 1e-6);
    },
  );

  it('equals the composed path, which differentiates through the shifts (so they are constants)', () => {
    const js = createJsBackend({ name: 'js-composed' });
    for (const causal of [false, true])
      for (const [n, D, dv, chunk, range] of [
        [11, 4, 3, 4, 5],
        [10, 3, 2, 2, 300],
        [17, 6, 2, 64, 30],
      ] as const) {
        const shapes = [
          [2, n, D],
          [2, n, D],
          [2, n, dv],
        ];
        const data = shapes.map((s, i) =>
          uniforms(
            s.reduce((a, b) => a * b, 1),
            n * 7 + i,
            i === 2 ? -2 : -range,
            i === 2 ? 2 : range,
          ),
        );
        const f = (q: Tensor, k: Tensor, v: Tensor): Tensor =>
          logLinearAttention(q, k, v, { causal, chunkSize: chunk });
        const viaRule = gradsOf(f, data, shapes);
        setBackend(js);
        const composed = gradsOf(f, data, shapes);
        setBackend(fused.backend);
        expect(relativeError(viaRule, composed)).toBeLessThan(1e-11);
      }
  });

  it('gives only the gradients asked for, each equal to the full computation', () => {
    const f = (q: Tensor, k: Tensor, v: Tensor): Tensor => logLinearAttention(q, k, v, { causal: true, chunkSize: 2 });
    const shapes = [
      [7, 3],
      [7, 3],
      [7, 2],
    ];
    const data = shapes.map((s, i) => uniforms(s[0]! * s[1]!, 5 + i, -3, 3));
    const all = gradsOf(f, data, shapes);
    tidy(() => {
      const [q, k, v] = data.map((d, i) => tensor(d, shapes[i]!, 'float64')) as [Tensor, Tensor, Tensor];
      const w = tensor(uniforms(14, 99, 0.5, 1.5), [7, 2], 'float64');
      const loss = (): Tensor => sum(mul(f(q, k, v), w));
      expect(relativeError([Array.from(grads(loss, { k }).k.dataSync())], [all[1]!])).toBeLessThan(1e-14);
      expect(relativeError([Array.from(grads(loss, { v }).v.dataSync())], [all[2]!])).toBeLessThan(1e-14);
      expect(relativeError([Array.from(grads(loss, { q }).q.dataSync())], [all[0]!])).toBeLessThan(1e-14);
    });
  });

  it('FAVOR+ linear attention at input magnitude 10: recorded through the fused op, finite, equal to the composed path', () => {
    const js = createJsBackend({ name: 'js-composed-favor' });
    const n = 12;
    const shapes = [
      [1, n, 4],
      [1, n, 4],
      [1, n, 3],
    ];
    const data = shapes.map((s, i) =>
      uniforms(
        s.reduce((a, b) => a * b, 1),
        40 + i,
        -10,
        10,
      ),
    );
    for (const causal of [false, true]) {
      const run = (): number[][] => {
        const favor = new RFFAttentionKernel({ inputDim: 4, numFeatures: 8, seed: 2, dtype: 'float64' });
        try {
          return gradsOf(
            (q, k, v) => linearAttention(q, k, v, { featureMap: favor, causal, chunkSize: 4 }),
            data,
            shapes,
          );
        } finally {
          favor.dispose();
        }
      };
      const before = fused.calls.length;
      const viaRule = run();
      expect(fused.calls.slice(before)).toEqual([causal, causal]); // the loss's forward, and gradsOf's shape probe
      for (const g of viaRule) expect(g.every(Number.isFinite)).toBe(true);
      setBackend(js);
      const composed = run();
      setBackend(fused.backend);
      expect(relativeError(viaRule, composed)).toBeLessThan(1e-9);
    }
  });
});

/**
 * A backend with the exact fused forward and a fused `logLinearAttentionGrad` driven by `grad`
 * (which sees the op's arguments and returns its handles, or undefined to decline).
 */
function withFusedGrad(
  grad: (args: {
    js: Backend;
    needs: readonly boolean[];
    causal: boolean;
    shapes: number[][];
  }) => unknown[] | undefined,
): { backend: Backend; js: Backend; gradCalls: boolean[][] } {
  const { backend: fused } = exactFused();
  const gradCalls: boolean[][] = [];
  const backend = {
    ...fused,
    logLinearAttentionGrad(q, k, v, _out, _dy, causal, needs) {
      gradCalls.push([...needs]);
      return grad({ js: fused, needs, causal, shapes: [[...q.shape], [...k.shape], [...v.shape]] });
    },
  } as Backend;
  return { backend, js: fused, gradCalls };
}

describe('logLinearAttention backward: the backend fused logLinearAttentionGrad', () => {
  let previous: Backend;
  beforeAll(async () => {
    await useJs();
    previous = getBackend();
  });
  afterAll(() => {
    setBackend(previous);
  });
  const shapes = [
    [1, 5, 3],
    [1, 6, 3],
    [1, 6, 2],
  ];
  const data = shapes.map((s, i) => uniforms(s[1]! * s[2]!, 70 + i, -2, 2));

  it("uses the backend's gradients while recording, and core's rule when it declines", () => {
    // Gradients the backend hands back: ones, so they are told apart from the rule's.
    const ones = withFusedGrad(({ js, needs, shapes: s }) =>
      needs.map((need, i) =>
        need ? js.fromArray(new Float64Array(s[i]!.reduce((a, b) => a * b)).fill(1), s[i]!, 'float64') : undefined,
      ),
    );
    setBackend(ones.backend);
    const got = gradsOf((q, k, v) => logLinearAttention(q, k, v), data, shapes);
    expect(ones.gradCalls).toEqual([[true, true, true]]);
    for (const g of got) expect(g.every((x) => x === 1)).toBe(true);

    const declines = withFusedGrad(() => undefined);
    setBackend(declines.backend);
    const viaRule = gradsOf((q, k, v) => logLinearAttention(q, k, v), data, shapes);
    expect(declines.gradCalls).toHaveLength(1);
    setBackend(exactFused().backend);
    expect(
      relativeError(
        viaRule,
        gradsOf((q, k, v) => logLinearAttention(q, k, v), data, shapes),
      ),
    ).toBe(0);
  });

  it('frees a gradient the backend gives though not asked for, and fails clearly on a missing one', () => {
    const extra = withFusedGrad(({ js, shapes: s }) =>
      s.map((shape) => js.fromArray(new Float64Array(shape.reduce((a, b) => a * b)), shape, 'float64')),
    );
    setBackend(extra.backend);
    const before = extra.js.memory!();
    tidy(() => {
      const [q, k, v] = data.map((d, i) => tensor(d, shapes[i]!, 'float64')) as [Tensor, Tensor, Tensor];
      const g = grads(() => sum(logLinearAttention(q, k, v)), { v });
      expect(Object.keys(g)).toEqual(['v']);
    });
    expect(extra.gradCalls).toEqual([[false, false, true]]);
    expect(extra.js.memory!()).toEqual(before);

    const missing = withFusedGrad(() => [undefined, undefined, undefined]);
    setBackend(missing.backend);
    const live = missing.js.memory!();
    tidy(() => {
      const [q, k, v] = data.map((d, i) => tensor(d, shapes[i]!, 'float64')) as [Tensor, Tensor, Tensor];
      expect(() => grads(() => sum(logLinearAttention(q, k, v)), { q })).toThrow(
        expect.objectContaining({
          code: 'ERR_BACKEND_FAILURE',
          message: expect.stringContaining('logLinearAttentionGrad'),
        }),
      );
    });
    expect(missing.js.memory!()).toEqual(live);
  });
});
