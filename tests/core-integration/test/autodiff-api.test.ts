/** The gradient API: values, keys, edge values, errors, memory, and the reference's training test. */
import { createJsBackend } from '@spectrans/backend-js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Adam,
  FourierKernel,
  GaussianRFFKernel,
  LearnableSpectralKernel,
  OrthogonalRandomFeatures,
  SGD,
  TruncatedSVDKernel,
  cast,
  eigh,
  qr,
  svd,
  exp,
  grad,
  grads,
  isRecording,
  liveTensorCount,
  matmul,
  max,
  maximum,
  mean,
  mul,
  pow,
  relu,
  setBackend,
  square,
  sub,
  sum,
  tensor,
  tidy,
  valueAndGrad,
  valueAndGrads,
  type Backend,
  type Tensor,
} from '@spectrans/core';
import { errorCode } from './errors.js';
import { randn } from './helpers.js';

let js: Backend;
beforeAll(async () => {
  js = await setBackend(createJsBackend());
});

const values = (t: Tensor): number[] => Array.from(t.dataSync());
const randn32 = (shape: number[], seed: number): Tensor => tidy(() => cast(randn(shape, seed), 'float32'));

describe('valueAndGrads', () => {
  it('returns the value and one gradient per name, zeros where the loss does not depend on a tensor', () => {
    const w = tensor([1, 2, 3], [3], 'float64');
    const unused = tensor([5, 6], [2], 'float64');
    const { value, grads: g } = valueAndGrads(() => sum(square(w)), { w, unused });
    expect(values(value)).toEqual([14]);
    expect(Object.keys(g)).toEqual(['w', 'unused']);
    expect(values(g.w)).toEqual([2, 4, 6]);
    expect(values(g.unused)).toEqual([0, 0]);
    for (const t of [w, unused, value, g.w, g.unused]) t.dispose();
  });

  it('records nothing outside a gradient computation', () => {
    expect(isRecording()).toBe(false);
    const w = tensor([1, 2], [2], 'float64');
    const inside: boolean[] = [];
    const g = grads(
      () => {
        inside.push(isRecording());
        return sum(w);
      },
      { w },
    );
    expect(inside).toEqual([true]);
    expect(isRecording()).toBe(false);
    w.dispose();
    g.w.dispose();
  });

  it('gives input gradients (saliency) with grad / valueAndGrad', () => {
    const x = tensor([0.5, -1, 2], [3], 'float64');
    const g = grad((v) => sum(exp(v)))(x);
    expect(maxDiff(values(g), [0.5, -1, 2].map(Math.exp))).toBeLessThan(1e-15);
    const { value, grad: g2 } = valueAndGrad((v) => sum(mul(v, v)))(x);
    expect(values(value)).toEqual([5.25]);
    expect(values(g2)).toEqual([1, -2, 4]);
    for (const t of [x, g, value, g2]) t.dispose();
  });

  it('handles edge values deterministically: ties, relu at 0, 0 ** p', () => {
    tidy(() => {
      const x = tensor([1, 3, 3, -2], [4], 'float64');
      expect(values(grads(() => max(x), { x }).x)).toEqual([0, 0.5, 0.5, 0]);
      const a = tensor([1, 2], [2], 'float64');
      const b = tensor([1, 3], [2], 'float64');
      const g = grads(() => sum(maximum(a, b)), { a, b });
      expect(values(g.a)).toEqual([1, 0]); // a tie goes to the first argument
      expect(values(g.b)).toEqual([0, 1]);
      const z = tensor([0, -1, 2], [3], 'float64');
      expect(values(grads(() => sum(relu(z)), { z }).z)).toEqual([0, 0, 1]);
      const base = tensor([0, 2], [2], 'float64');
      const p = tensor([2, 3], [2], 'float64');
      const gp = grads(() => sum(pow(base, p)), { base, p });
      expect(values(gp.base)).toEqual([0, 12]);
      expect(values(gp.p)).toEqual([0, 8 * Math.log(2)]); // no NaN from log(0)
    });
  });

  it('works in float32', () => {
    tidy(() => {
      const a = tensor([
        [1, 2],
        [3, 4],
      ]);
      const b = tensor([[0.5], [-1]]);
      const g = grads(() => sum(matmul(a, b)), { a, b });
      expect(g.a.dtype).toBe('float32');
      expect(values(g.a)).toEqual([0.5, -1, 0.5, -1]);
      expect(values(g.b)).toEqual([4, 6]);
    });
  });

  it('raises coded errors', () => {
    const w = tensor([1, 2], [2], 'float64');
    expect(errorCode(() => valueAndGrads(() => w, { w }))).toBe('ERR_INVALID_SHAPE');
    expect(errorCode(() => valueAndGrads(() => 3 as unknown as Tensor, { w }))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => valueAndGrads(42 as unknown as () => Tensor, { w }))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => valueAndGrads(() => sum(w), { w: [1, 2] as unknown as Tensor }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(errorCode(() => valueAndGrads(() => sum(w), null as unknown as Record<string, Tensor>))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(errorCode(() => grads(() => sum(grads(() => sum(w), { w }).w), { w }))).toBe('ERR_NOT_DIFFERENTIABLE');
    const m = tensor(
      [
        [2, 1],
        [1, 3],
      ],
      [2, 2],
      'float64',
    );
    let message = '';
    try {
      grads(() => sum(qr(m).r), { m });
    } catch (e) {
      message = String(e);
    }
    expect(message).toMatch(/^SpectransError: qr: /);
    expect(errorCode(() => grads(() => sum(qr(m).r), { m }))).toBe('ERR_NOT_DIFFERENTIABLE');
    expect(errorCode(() => grads(() => sum(svd(m).s), { m }))).toBe('ERR_NOT_DIFFERENTIABLE');
    // A decomposition of constants is fine on the way.
    const c = tensor(
      [
        [2, 0],
        [0, 3],
      ],
      [2, 2],
      'float64',
    );
    const g = grads(() => sum(matmul(m, eigh(c).vectors)), { m });
    expect(values(g.m)).toEqual([1, 1, 1, 1]);
    const gone = tensor([1], [1], 'float64');
    gone.dispose();
    expect(errorCode(() => grads(() => sum(w), { gone }))).toBe('ERR_DISPOSED');
    expect(isRecording()).toBe(false);
    for (const t of [w, m, c, g.m]) t.dispose();
  });

  it('leaks nothing over many steps, including failed ones (live tensors, handles, bytes)', () => {
    const kernel = new LearnableSpectralKernel({ inputDim: 4, rank: 3, seed: 1, dtype: 'float64' });
    const x = randn([6, 4], 2);
    const before = { live: liveTensorCount(), ...js.memory!() };
    const opt = new Adam({ lr: 0.01 });
    for (let i = 0; i < 200; i++) {
      tidy(() => {
        opt.minimize(() => mean(kernel.compute(x, x)), kernel);
      });
      if (i % 50 === 0) expect(errorCode(() => grads(() => kernel.compute(x, x), kernel))).toBe('ERR_INVALID_SHAPE');
    }
    opt.dispose();
    const after = { live: liveTensorCount(), ...js.memory!() };
    expect(after).toEqual(before);
    kernel.dispose();
    x.dispose();
  });
});

describe('kernels', () => {
  it('tests/unit/test_kernels.py::test_learnable_spectral_kernel_training: K = compute(x, x), K.mean() backward, every parameter gets a non-zero gradient', () => {
    const kernel = new LearnableSpectralKernel({ inputDim: 10, rank: 5, seed: 0 });
    const x = randn32([8, 10], 4);
    tidy(() => {
      const g = grads(() => mean(kernel.compute(x, x)), kernel);
      expect(Object.keys(g).sort()).toEqual(['eigenvalues', 'eigenvectors']);
      for (const t of Object.values(g)) expect(values(t).some((v) => v !== 0 && Number.isFinite(v))).toBe(true);
    });
    kernel.dispose();
    x.dispose();
  });

  it('non-trainable parameters get no gradient', () => {
    const fixed = new LearnableSpectralKernel({ inputDim: 4, rank: 2, trainableEigenvectors: false, seed: 0 });
    expect(Object.keys(fixed.trainableParameters())).toEqual(['eigenvalues']);
    const rff = new GaussianRFFKernel({ inputDim: 3, numFeatures: 8, seed: 0 });
    expect(Object.keys(rff.trainableParameters())).toEqual([]);
    const x = randn32([5, 4], 1);
    tidy(() => {
      expect(Object.keys(grads(() => mean(fixed.compute(x, x)), fixed))).toEqual(['eigenvalues']);
    });
    for (const t of [fixed, rff, x]) t.dispose();
  });

  it('trainable ORF (SORF, materialised matrix) differentiates through its diagonals and refreshes the matrix after a step', () => {
    const orf = new OrthogonalRandomFeatures({
      inputDim: 3,
      numFeatures: 4,
      useHadamard: true,
      trainable: true,
      sorfApply: 'matrix',
      seed: 2,
      dtype: 'float64',
    });
    const x = randn([5, 3], 3);
    const out = (): Tensor => mean(orf.kernelApproximation(x, x));
    tidy(() => {
      const before = values(out());
      const g = grads(out, orf);
      expect(Object.keys(g)).toEqual(['diagonals.0', 'diagonals.1', 'diagonals.2', 'bias']);
      expect(values(g['diagonals.0']!).some((v) => v !== 0)).toBe(true);
      new SGD({ lr: 0.5 }).step(orf, g);
      expect(values(out())).not.toEqual(before);
    });
    // The transforms (used while recording) and the refreshed matrix give the same value.
    tidy(() => {
      const viaMatrix = values(out())[0]!;
      const viaTransform = values(valueAndGrads(out, orf).value)[0]!;
      expect(Math.abs(viaMatrix - viaTransform)).toBeLessThan(1e-12);
    });
    orf.dispose();
    x.dispose();
  });

  it('a decomposition on the gradient path raises ERR_NOT_DIFFERENTIABLE naming it', () => {
    const k = new TruncatedSVDKernel({ rank: 2, dtype: 'float64' });
    const x = randn([5, 3], 5);
    expect(errorCode(() => grad((v) => mean(k.compute(v, v)))(x))).toBe('ERR_NOT_DIFFERENTIABLE');
    const r = new TruncatedSVDKernel({ rank: 2, dtype: 'float64', useRandomized: true, seed: 1 });
    expect(errorCode(() => grad((v) => mean(r.compute(v, v)))(x))).toBe('ERR_NOT_DIFFERENTIABLE');
    for (const t of [k, r, x]) t.dispose();
  });
});

describe('optimisers', () => {
  it('SGD with momentum and weight decay follows torch.optim.SGD', () => {
    const params = { w: tensor([1, -2], [2], 'float64') };
    const opt = new SGD({ lr: 0.1, momentum: 0.9, weightDecay: 0.5 });
    const host = [1, -2];
    let buf = [0, 0];
    for (let step = 0; step < 3; step++) {
      tidy(() =>
        opt.step(
          params,
          grads(() => sum(square(params.w)), params),
        ),
      );
      const g = host.map((v) => 2 * v + 0.5 * v);
      buf = step === 0 ? g : buf.map((b, i) => 0.9 * b + g[i]!);
      host.forEach((v, i) => (host[i] = v - 0.1 * buf[i]!));
    }
    expect(maxDiff(values(params.w), host)).toBeLessThan(1e-14);
    params.w.dispose();
    opt.dispose();
  });

  it('Adam follows torch.optim.Adam, and update() is functional', () => {
    const w = tensor([0.5, -1.5, 3], [3], 'float64');
    const opt = new Adam({ lr: 0.1, betas: [0.8, 0.9], eps: 1e-6, weightDecay: 0.1 });
    let current = w;
    const host = [0.5, -1.5, 3];
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    for (let t = 1; t <= 4; t++) {
      const g = grads(() => sum(pow(current, 3)), { current });
      const next = opt.update({ current }, g).current;
      g.current.dispose();
      if (current !== w) current.dispose();
      current = next;
      host.forEach((p, i) => {
        const gi = 3 * p * p + 0.1 * p;
        m[i] = 0.8 * m[i]! + 0.2 * gi;
        v[i] = 0.9 * v[i]! + 0.1 * gi * gi;
        host[i] = p - (0.1 * (m[i]! / (1 - 0.8 ** t))) / (Math.sqrt(v[i]! / (1 - 0.9 ** t)) + 1e-6);
      });
    }
    expect(maxDiff(values(current), host)).toBeLessThan(1e-12);
    expect(values(w)).toEqual([0.5, -1.5, 3]); // the functional form leaves its input alone
    for (const t of [w, current]) t.dispose();
    opt.dispose();
  });

  it('steps a kernel in place, keeping the reference names in stateDict', async () => {
    const k = new FourierKernel({ rank: 3, inputDim: 6, dtype: 'float64' });
    const x = randn([4, 6], 9);
    const target = tidy(() => mul(k.compute(x, x), 0.5));
    const loss = (): Tensor => mean(square(sub(k.compute(x, x), target)));
    const first = tidy(() => values(loss())[0]!);
    const opt = new Adam({ lr: 0.05 });
    for (let i = 0; i < 50; i++)
      tidy(() => {
        opt.minimize(loss, k);
      });
    const last = tidy(() => values(loss())[0]!);
    expect(last).toBeLessThan(first / 10);
    expect(Object.keys(await k.exportStateDict())).toEqual(['filter']);
    opt.dispose();
    for (const t of [k, x, target]) t.dispose();
  });

  it('rejects bad options and mismatched gradients', () => {
    expect(errorCode(() => new SGD({ lr: 0 }))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => new SGD({ lr: 0.1, momentum: 1 }))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => new Adam({ betas: [0.9, 1] }))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => new Adam({ eps: -1 }))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => new Adam({ weightDecay: Number.NaN }))).toBe('ERR_INVALID_ARGUMENT');
    const k = new LearnableSpectralKernel({ inputDim: 3, rank: 2, seed: 0 });
    const wrong = tensor([1, 2, 3], [3]);
    expect(errorCode(() => new SGD({ lr: 0.1 }).step(k, { eigenvalues: wrong }))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => new SGD({ lr: 0.1 }).step(k, { nope: wrong }))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => k.assignTrainableParameters({ eigenvalues: wrong }))).toBe('ERR_STATE_DICT');
    wrong.dispose();
    k.dispose();
  });
});

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
