/** Bad inputs of every family get coded errors; numerics, disposal and state dicts stay sound (issue 11). */
import { createJsBackend } from '@spectrans/backend-js';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CosineKernel,
  FourierKernel,
  GaussianRFFKernel,
  LaplacianRFFKernel,
  LearnableSpectralKernel,
  LIMITS,
  OrthogonalRandomFeatures,
  PolynomialKernel,
  RFFAttentionKernel,
  RandomGenerator,
  SpectransError,
  TruncatedSVDKernel,
  createKernel,
  exp,
  liveTensorCount,
  matmul,
  ones,
  setBackend,
  tensor,
  tidy,
  zeros,
  type Backend,
  type SerializedTensor,
  type Tensor,
} from '@spectrans/core';
import { checkOptions } from '@spectrans/core/backend';
import { errorCode, errorCodeAsync } from './errors.js';

let js: Backend;
beforeAll(async () => {
  js = await setBackend(createJsBackend());
});

/** The SpectransError `fn` raises (fails the test when it raises something else or returns). */
function thrown(fn: () => unknown): SpectransError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpectransError) return e;
    throw new Error(`expected a SpectransError, got ${String(e)}`);
  }
  throw new Error('expected a SpectransError, got a return');
}

describe('options objects', () => {
  const ctors: [string, (o: unknown) => unknown][] = [
    ['GaussianRFFKernel', (o) => new GaussianRFFKernel(o as never)],
    ['LaplacianRFFKernel', (o) => new LaplacianRFFKernel(o as never)],
    ['OrthogonalRandomFeatures', (o) => new OrthogonalRandomFeatures(o as never)],
    ['RFFAttentionKernel', (o) => new RFFAttentionKernel(o as never)],
    ['TruncatedSVDKernel', (o) => new TruncatedSVDKernel(o as never)],
    ['LearnableSpectralKernel', (o) => new LearnableSpectralKernel(o as never)],
    ['FourierKernel', (o) => new FourierKernel(o as never)],
  ];
  it.each(ctors)('%s: no options, null, an array or a number give ERR_INVALID_ARGUMENT', (_, make) => {
    for (const bad of [undefined, null, [], 42, 'x']) expect(errorCode(() => make(bad))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('unknown keys are rejected with a suggestion, Python spellings map to camelCase', () => {
    expect(thrown(() => new GaussianRFFKernel({ inputDim: 4, numFeature: 8 } as never)).message).toContain(
      "did you mean 'numFeatures'?",
    );
    expect(thrown(() => new GaussianRFFKernel({ inputDim: 4, numFeatures: 8, sigmaa: 1 } as never)).message).toContain(
      "did you mean 'sigma'?",
    );
    expect(thrown(() => new GaussianRFFKernel({ input_dim: 4, num_features: 8 } as never)).message).toContain(
      "did you mean 'inputDim'?",
    );
    expect(thrown(() => new CosineKernel({ totallyUnrelated: 1 } as never)).message).not.toContain('did you mean');
  });

  it('null values are rejected instead of meaning the default', () => {
    expect(
      thrown(() => new GaussianRFFKernel({ inputDim: 4, numFeatures: 8, sigma: null } as never)).message,
    ).toContain("'sigma' is null");
    expect(errorCode(() => new CosineKernel({ eps: null } as never))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('a bad backend option is rejected', () => {
    for (const backend of [{}, 'js', 42, { name: 'fake' }]) {
      expect(errorCode(() => new CosineKernel({ backend } as never))).toBe('ERR_INVALID_ARGUMENT');
    }
    expect(errorCode(() => zeros([2], 'float32', { backend: {} as Backend }))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('FourierKernel has no normalize option: `normalize: false` is rejected, not silently overridden', () => {
    expect(thrown(() => new FourierKernel({ rank: 2, inputDim: 8, normalize: false } as never)).message).toContain(
      "unknown option 'normalize'",
    );
  });

  it('createKernel passes bad option bags through to the checks', () => {
    expect(errorCode(() => createKernel('gaussian_rff', null as never))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => createKernel('cosine', { epsilon: 1 } as never))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('checkOptions keeps valid bags and fills an omitted one', () => {
    const bag = { a: 1 };
    expect(checkOptions('t', bag, ['a'])).toBe(bag);
    expect(checkOptions('t', undefined, ['a'])).toEqual({});
  });

  it('op option bags are checked too', () => {
    const a = tensor([1, 2, 3, 4], [2, 2]);
    expect(errorCode(() => matmul(a, a, { transposeB: 'yes' } as never))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => matmul(a, a, { transpose_b: true } as never))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => matmul(a, a, null as never))).toBe('ERR_INVALID_ARGUMENT');
    a.dispose();
  });
});

describe('size limits, checked before allocation', () => {
  it('huge feature counts fail at once, naming the option, the size and the limit', () => {
    const start = Date.now();
    const e = thrown(() => new GaussianRFFKernel({ inputDim: 8, numFeatures: 1e12 }));
    expect(e.code).toBe('ERR_INVALID_ARGUMENT');
    expect(e.message).toContain('numFeatures');
    expect(e.message).toContain('1000000000000');
    expect(e.message).toContain(String(LIMITS.maxDimension));
    expect(errorCode(() => new GaussianRFFKernel({ inputDim: 8, numFeatures: 1e9 }))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => new RFFAttentionKernel({ inputDim: 4096, numFeatures: 8192 }))).toBe('ERR_INVALID_ARGUMENT');
    expect(
      errorCode(() => new OrthogonalRandomFeatures({ inputDim: 4, numFeatures: 2 ** 24 + 1, useHadamard: true })),
    ).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => new FourierKernel({ rank: 5000, inputDim: 10000 }))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => new LearnableSpectralKernel({ rank: 1, inputDim: 2 ** 25 }))).toBe('ERR_INVALID_ARGUMENT');
    expect(Date.now() - start).toBeLessThan(1000);
  });

  it('powerIterations and oversample are bounded', () => {
    expect(thrown(() => new TruncatedSVDKernel({ rank: 2, powerIterations: 1e9 })).message).toContain(
      'powerIterations',
    );
    expect(errorCode(() => new TruncatedSVDKernel({ rank: 2, oversample: 1e9 }))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('tensor shapes, op outputs and RNG counts are bounded', () => {
    expect(errorCode(() => zeros([1e6, 1e6]))).toBe('ERR_INVALID_SHAPE');
    expect(errorCode(() => ones([2 ** 31]))).toBe('ERR_INVALID_SHAPE');
    expect(errorCode(() => tensor([1], [2 ** 20, 2 ** 20]))).toBe('ERR_INVALID_SHAPE');
    const col = zeros([100000, 1]);
    const row = zeros([1, 100000]);
    const before = liveTensorCount();
    expect(errorCode(() => matmul(col, row))).toBe('ERR_INVALID_SHAPE');
    expect(errorCode(() => exp(col) && tidy(() => matmul(col, row)))).toBe('ERR_INVALID_SHAPE');
    expect(liveTensorCount()).toBe(before + 1);
    tidy(() => undefined);
    col.dispose();
    row.dispose();
    expect(errorCode(() => new RandomGenerator(1).normal(1e12))).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('shape checks of secondary entry points', () => {
  it('spectralDensity and evaluateDifference need the last axis to be inputDim', () => {
    const k = new GaussianRFFKernel({ inputDim: 4, numFeatures: 8, seed: 1 });
    const w = zeros([3, 5]);
    expect(errorCode(() => k.spectralDensity(w))).toBe('ERR_SHAPE_MISMATCH');
    expect(errorCode(() => k.evaluateDifference(w))).toBe('ERR_SHAPE_MISMATCH');
    w.dispose();
    k.dispose();
  });

  it('attention features check x and the stabiliser; train checks its flag', () => {
    const k = new RFFAttentionKernel({ inputDim: 4, numFeatures: 8, seed: 1 });
    const x = zeros([2, 3]);
    const good = zeros([2, 4]);
    expect(errorCode(() => k.features(x))).toBe('ERR_SHAPE_MISMATCH');
    expect(errorCode(() => k.features(good, 'bogus' as never))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => k.train('no' as never))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => k.features('x' as never))).toBe('ERR_INVALID_ARGUMENT');
    tidy(() => undefined);
    x.dispose();
    good.dispose();
    k.dispose();
  });
});

describe('numerical ranges', () => {
  it('sigma whose 1/σ, σ² or 1/(2σ²) leave the dtype is rejected', () => {
    for (const sigma of [1e-20, 1e-30, 1e20, 1e30]) {
      expect(errorCode(() => new GaussianRFFKernel({ inputDim: 2, numFeatures: 4, sigma }))).toBe(
        'ERR_INVALID_ARGUMENT',
      );
      expect(errorCode(() => new OrthogonalRandomFeatures({ inputDim: 2, numFeatures: 4, sigma }))).toBe(
        'ERR_INVALID_ARGUMENT',
      );
    }
    expect(
      errorCode(() => new LaplacianRFFKernel({ inputDim: 2, numFeatures: 4, sigma: 1e-200, dtype: 'float64' })),
    ).toBe('ERR_INVALID_ARGUMENT');
    // Representable in float64, not in float32.
    new GaussianRFFKernel({ inputDim: 2, numFeatures: 4, sigma: 1e-25, dtype: 'float64', seed: 1 }).dispose();
    new GaussianRFFKernel({ inputDim: 2, numFeatures: 4, sigma: 1e-12, seed: 1 }).dispose();
  });

  it('scalars that overflow the dtype are rejected', () => {
    expect(errorCode(() => new PolynomialKernel({ alpha: 1e39 }))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => new LearnableSpectralKernel({ rank: 1, inputDim: 2, initScale: 1e39 }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    new PolynomialKernel({ alpha: 1e39, dtype: 'float64' }).dispose();
  });

  it('σ = 1e-12 gives a finite, exact diagonal', async () => {
    const k = new GaussianRFFKernel({ inputDim: 2, numFeatures: 4, sigma: 1e-12, seed: 1 });
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const K = k.compute(x, x);
    expect(Array.from(await K.data())).toEqual([1, 0, 0, 1]);
    for (const t of [k, x, K]) t.dispose();
  });

  it('CosineKernel of rows of 1e20 (float32) gives 1, both eps modes', async () => {
    for (const epsMode of ['add', 'clamp'] as const) {
      const k = new CosineKernel({ epsMode });
      const x = tensor([
        [1e20, 1e20, 1e20],
        [-3e37, 1e37, 0],
        [1e-30, 0, 0],
      ]);
      const K = await k.compute(x, x).data();
      expect(K[0]).toBeCloseTo(1, 5);
      expect(K[4]).toBeCloseTo(1, 5);
      expect(K[8]).toBeCloseTo(0, 5); // a tiny row is dominated by eps, as in the reference
      expect(K[1]).toBeCloseTo(-2 / Math.sqrt(30), 5);
      expect(Array.from(K).every(Number.isFinite)).toBe(true);
      k.dispose();
      x.dispose();
    }
  });

  it('LearnableSpectralKernel with a large initScale keeps unit rows', async () => {
    const k = new LearnableSpectralKernel({ rank: 2, inputDim: 3, initScale: 1e30, seed: 2 });
    const x = tensor([
      [1, 2, 3],
      [0.5, -1, 2],
    ]);
    const K = await k.compute(x, x).data();
    expect(Math.hypot(K[0]!, K[1]!)).toBeCloseTo(1, 5);
    expect(Math.hypot(K[2]!, K[3]!)).toBeCloseTo(1, 5);
    k.dispose();
    x.dispose();
  });
});

describe('backend errors, tidy and disposal', () => {
  /** backend-js with `method` replaced by one that throws. */
  function broken(method: 'unary' | 'dispose' | 'read' | 'fromArray'): Backend {
    const b = createJsBackend();
    const real = (b as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!.bind(b);
    let armed = false;
    (b as unknown as Record<string, unknown>)[method] = (...a: unknown[]) => {
      if (armed) throw new RangeError(`${method} exploded`);
      return real(...a);
    };
    return Object.assign(b, { arm: () => (armed = true) });
  }

  it("a backend's exception becomes ERR_BACKEND_FAILURE with cause", async () => {
    const b = broken('unary') as Backend & { arm(): void };
    const x = tensor([1, 2], [2], 'float32', { backend: b });
    b.arm();
    const e = thrown(() => exp(x));
    expect(e.code).toBe('ERR_BACKEND_FAILURE');
    expect(e.cause).toBeInstanceOf(RangeError);
    x.dispose();
    const r = broken('read') as Backend & { arm(): void };
    const y = tensor([1], [1], 'float32', { backend: r });
    r.arm();
    expect(await errorCodeAsync(() => y.data())).toBe('ERR_BACKEND_FAILURE');
    y.dispose();
  });

  it('tidy cleanup survives a throwing dispose and leaks nothing', () => {
    const b = broken('dispose') as Backend & { arm(): void };
    const before = liveTensorCount();
    const e = thrown(() =>
      tidy(() => {
        const a = tensor([1], [1], 'float32', { backend: b });
        tensor([2], [1], 'float32', { backend: b });
        b.arm();
        return a;
      }),
    );
    expect(e.code).toBe('ERR_BACKEND_FAILURE');
    expect(liveTensorCount()).toBe(before);
  });

  it('tidy(async) and tidy(42) give coded errors and free what was made', async () => {
    const before = liveTensorCount();
    expect(errorCode(() => tidy(42 as never))).toBe('ERR_INVALID_ARGUMENT');
    expect(
      errorCode(() =>
        tidy((async () => {
          zeros([2]);
          await Promise.resolve();
        }) as never),
      ),
    ).toBe('ERR_INVALID_ARGUMENT');
    expect(liveTensorCount()).toBe(before);
  });

  it('a failed constructor leaks nothing', () => {
    const b = broken('fromArray') as Backend & { arm(): void };
    let calls = 0;
    const real = b.fromArray.bind(b);
    b.fromArray = ((...args: Parameters<Backend['fromArray']>) => {
      if (++calls === 2) throw new Error('out of memory');
      return real(...args);
    }) as Backend['fromArray'];
    const before = liveTensorCount();
    for (const make of [
      () => new FourierKernel({ rank: 2, inputDim: 8, backend: b }),
      () => new GaussianRFFKernel({ inputDim: 2, numFeatures: 4, backend: b }),
    ]) {
      calls = 0;
      expect(errorCode(make)).toBe('ERR_BACKEND_FAILURE');
      expect(liveTensorCount()).toBe(before);
    }
  });
  // A disposed kernel raising ERR_DISPOSED from every public method is checked on every backend by
  // conformance (errors/disposed-kernel/*).
});

describe('state dicts', () => {
  let k: GaussianRFFKernel;
  afterEach(() => k?.dispose());
  const entry = (shape: number[], dtype: unknown = 'float32', fill = 0.5): SerializedTensor => ({
    shape,
    dtype: dtype as string,
    data: new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(fill),
  });

  it('rejects a bad dtype, a bad shape before parsing data, and overflowing values', () => {
    k = new GaussianRFFKernel({ inputDim: 2, numFeatures: 3, seed: 1 });
    for (const dtype of ['int8', 'bogus', 42, null]) {
      expect(errorCode(() => k.loadStateDict({ omega: entry([2, 3], dtype) as never, bias: entry([3]) }))).toBe(
        'ERR_STATE_DICT',
      );
    }
    expect(
      errorCode(() =>
        k.loadStateDict({ omega: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] } as never, bias: entry([3]) }),
      ),
    ).toBe('ERR_STATE_DICT');
    const huge = { shape: [1e9, 1e9], dtype: 'float32', data: [] };
    expect(thrown(() => k.loadStateDict({ omega: huge, bias: entry([3]) })).message).toContain(
      'shape [1000000000, 1000000000]',
    );
    expect(
      errorCode(() => k.loadStateDict({ omega: { shape: [-1, 3], dtype: 'float32', data: [] }, bias: entry([3]) })),
    ).toBe('ERR_STATE_DICT');
    expect(errorCode(() => k.loadStateDict({ omega: entry([2, 3], 'float64', 1e300), bias: entry([3]) }))).toBe(
      'ERR_STATE_DICT',
    );
    expect(
      errorCode(() =>
        k.loadStateDict({ omega: entry([2, 3]), bias: { shape: [3], dtype: 'float32', data: [1, true, 2] as never } }),
      ),
    ).toBe('ERR_STATE_DICT');
    expect(
      errorCode(() => k.loadStateDict({ omega: entry([2, 3]), bias: entry([3]) }, { strict: 'yes' } as never)),
    ).toBe('ERR_INVALID_ARGUMENT');
    k.loadStateDict({ omega: entry([2, 3], 'float32', Infinity), bias: entry([3]) });
  });

  it('rejects alias duplicates', () => {
    const orf = new OrthogonalRandomFeatures({ inputDim: 2, numFeatures: 2, useHadamard: true, seed: 1 });
    const sd = {
      diagonal_0: entry([2], 'float32', 1),
      'diagonals.0': entry([2], 'float32', -1),
      diagonal_1: entry([2]),
      diagonal_2: entry([2]),
      bias: entry([2]),
    };
    expect(thrown(() => orf.loadStateDict(sd)).message).toContain('both name the parameter');
    orf.dispose();
  });

  it('a backend failure while loading leaves the old parameters in place', async () => {
    const b: Backend = createJsBackend();
    k = new GaussianRFFKernel({ inputDim: 2, numFeatures: 3, seed: 1, backend: b });
    const before = await k.exportStateDict();
    const real = b.fromArray.bind(b);
    let calls = 0;
    b.fromArray = ((...args: Parameters<Backend['fromArray']>) => {
      if (++calls === 2) throw new Error('out of memory');
      return real(...args);
    }) as Backend['fromArray'];
    const live = liveTensorCount();
    expect(
      errorCode(() => k.loadStateDict({ omega: entry([2, 3], 'float32', 7), bias: entry([3], 'float32', 7) })),
    ).toBe('ERR_BACKEND_FAILURE');
    expect(liveTensorCount()).toBe(live);
    b.fromArray = real;
    expect(await k.exportStateDict()).toEqual(before);
  });

  it('exportStateDict is an atomic snapshot under a concurrent loadStateDict', async () => {
    k = new GaussianRFFKernel({ inputDim: 2, numFeatures: 3, seed: 1 });
    const before = await k.exportStateDict();
    const pending = k.exportStateDict();
    k.loadStateDict({ omega: entry([2, 3], 'float32', 7), bias: entry([3], 'float32', 7) });
    expect(await pending).toEqual(before);
  });
});

describe('registry under races', () => {
  const fresh = () => createJsBackend();
  it('concurrent setBackend on one name runs the factory once', async () => {
    const { registerBackend, removeBackend } = await import('@spectrans/core');
    let runs = 0;
    registerBackend('race-once', async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return fresh();
    });
    const [a, b] = await Promise.all([setBackend('race-once'), setBackend('race-once')]);
    expect(runs).toBe(1);
    expect(a).toBe(b);
    removeBackend('race-once');
    await setBackend(js);
  });

  it('the last setBackend wins even when an earlier factory resolves later', async () => {
    const { registerBackend, removeBackend, getBackend } = await import('@spectrans/core');
    const slow = fresh();
    const quick = fresh();
    registerBackend('race-slow', () => new Promise<Backend>((r) => setTimeout(() => r(slow), 40)));
    registerBackend('race-quick', () => quick);
    const first = setBackend('race-slow');
    await setBackend('race-quick');
    await first;
    expect(getBackend()).toBe(quick);
    removeBackend('race-slow');
    removeBackend('race-quick');
    await setBackend(js);
  });

  it('a factory that never settles cannot hang ready(): a coded timeout names it', async () => {
    vi.resetModules();
    const reg = await import('@spectrans/core');
    reg.registerBackend('race-stuck', () => new Promise<Backend>(() => undefined), { priority: 10, timeoutMs: 50 });
    reg.registerBackend('race-works', () => fresh(), { priority: 1 });
    const [b, b2] = await Promise.all([reg.ready(), reg.ready()]);
    expect(b).toBe(b2);
    expect(reg.getBackend()).toBe(b);
    vi.resetModules();
    const alone = await import('@spectrans/core');
    alone.registerBackend('race-stuck-2', () => new Promise<Backend>(() => undefined), { timeoutMs: 30 });
    const e = await alone.ready().catch((err: unknown) => err);
    expect((e as { code?: string }).code).toBe('ERR_BACKEND_INIT');
    expect((e as Error).message).toContain("'race-stuck-2' did not start within 30 ms");
  });
});

/** Keeps the Tensor type import used. */
export type { Tensor };

describe('backends without synchronous reads', () => {
  it('a SORF map in matrix mode builds, loads and assigns diagonals without readSync', async () => {
    const { readSync: _sync, ...asyncOnly } = createJsBackend({ name: 'async-only' });
    const make = (seed: number): OrthogonalRandomFeatures =>
      new OrthogonalRandomFeatures({
        inputDim: 6,
        numFeatures: 20,
        useHadamard: true,
        sorfApply: 'matrix',
        trainable: true,
        seed,
        backend: asyncOnly,
      });
    const a = make(1);
    const b = make(2);
    const x = tensor(
      Float32Array.from({ length: 18 }, (_, i) => Math.sin(i)),
      [3, 6],
      'float32',
      {
        backend: asyncOnly,
      },
    );
    const features = async (m: OrthogonalRandomFeatures): Promise<Float32Array> => {
      const y = m.forward(x);
      const data = (await y.data()) as Float32Array;
      y.dispose();
      return data;
    };
    b.loadStateDict(await a.exportStateDict());
    expect(await features(b)).toEqual(await features(a));
    const c = make(3);
    b.assignTrainableParameters(c.trainableParameters());
    expect(await features(b)).toEqual(await features(c));
    for (const m of [a, b, c]) m.dispose();
    x.dispose();
  });
});
