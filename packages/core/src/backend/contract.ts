/**
 * The ops contract: what a compute backend implements.
 *
 * A small typed interface rather than a string-keyed kernel table, so the compiler tells a backend
 * author what is missing. Core validates every argument and computes every output shape before it
 * calls a backend: a backend only ever receives valid calls, with tensors of one dtype, and never
 * needs to raise argument errors of its own.
 */
import type { DType, FloatArray } from '../dtype.js';
import type { Shape } from '../shape.js';

/** Precision a backend delivers for a dtype: IEEE-754 round-to-nearest, or reduced (e.g. GPU float32). */
export type Precision = 'ieee' | 'reduced';

/** What a backend declares about itself beyond its methods. Conformance holds it to these claims. */
export interface BackendCapabilities {
  /** Precision per supported dtype. float32 is required; list float64 only when it is real float64. */
  readonly dtypes: { readonly float32: Precision; readonly float64?: Precision };
  /**
   * `fromArray` also takes a Float64Array for a float32 tensor and rounds each element to nearest
   * (as `Math.fround`), so core hands float64 host data over without converting it first.
   */
  readonly roundsFloat64Uploads?: boolean;
}

/** A backend tensor as core passes it: the backend's own handle with core's metadata. */
export interface TensorRef<H> {
  readonly handle: H;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** Live storage a backend holds, for leak checks. */
export interface BackendMemory {
  /** Handles created and not yet disposed. */
  readonly handles: number;
  /** Bytes those handles hold (shared storage may be counted once per handle). */
  readonly bytes: number;
}

/**
 * Elementwise functions of one argument. `elu` uses alpha = 1; `sign(0) = 0`; `relu`/`sign` pass NaN.
 * `cos`/`sin` must be accurate for large arguments (reduce the phase into [-pi, pi] first where the
 * hardware does not).
 */
export type UnaryOp =
  'neg' | 'abs' | 'exp' | 'log' | 'sqrt' | 'square' | 'reciprocal' | 'sin' | 'cos' | 'tanh' | 'relu' | 'elu' | 'sign';

/**
 * Elementwise functions of two arguments. Comparisons return 1 or 0 in the operands' dtype
 * (0 when either side is NaN). `maximum`/`minimum` propagate NaN. `pow` follows JavaScript's
 * `Math.pow` (so `1 ** NaN` is NaN).
 */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'greater'
  | 'greaterEqual'
  | 'less'
  | 'lessEqual'
  | 'equal';

/** Reductions over one axis. `max`/`min` propagate NaN; over an empty axis sum is 0, max is −∞, min is +∞. */
export type ReduceOp = 'sum' | 'max' | 'min';

/** Pairwise distance metrics: squared Euclidean and L1 (Manhattan). */
export type DistanceMetric = 'sqeuclidean' | 'l1';

/**
 * Optional native linear algebra, on the last two axes with any leading batch axes, in the input
 * dtype. Absent methods fall back to core's float64 host implementation. Sign conventions (which
 * core's fallbacks also follow) are: diag(R) >= 0; each eigenvector, and each column of the SVD's
 * v, has its largest-magnitude component positive (u then follows from v).
 */
export interface LinalgOps<H> {
  /** Reduced QR of (..., m, n): q (..., m, k), r (..., k, n) with k = min(m, n). */
  qr?(x: TensorRef<H>): { q: H; r: H };
  /** Symmetric eigendecomposition of (..., n, n): values (..., n) ascending, vectors (..., n, n) as columns. */
  eigh?(x: TensorRef<H>): { values: H; vectors: H };
  /** Thin SVD of (..., m, n): u (..., m, k), s (..., k) descending, v (..., n, k). */
  svd?(x: TensorRef<H>): { u: H; s: H; v: H };
}

/**
 * A compute backend. `H` is the backend's own handle type, opaque to core.
 *
 * Shapes passed to methods are already validated; `outShape` arguments are the shapes core
 * computed and expects back. Every returned handle is new: disposing it must never invalidate
 * another handle, even where storage is shared (e.g. `reshape`).
 */
export interface Backend<H = unknown> {
  /** Unique name, e.g. `'js'`, `'tfjs-wasm'`, `'gpujs-headlessgl'`. */
  readonly name: string;
  readonly capabilities: BackendCapabilities;

  // ---- storage -------------------------------------------------------------------------------
  /**
   * Uploads `data`: exactly `size(shape)` elements, already of `dtype` (or float64 data for a float32
   * tensor where `capabilities.roundsFloat64Uploads`). The backend may keep `data`.
   */
  fromArray(data: FloatArray, shape: Shape, dtype: DType): H;
  /** Reads a tensor back as a new array of its dtype, row-major. */
  read(x: TensorRef<H>): Promise<FloatArray>;
  /**
   * Synchronous read, where the platform allows one. Core's host fallbacks need it, and it serves
   * `tensor.dataSync()`/`arraySync()` (`ERR_SYNC_READ_UNSUPPORTED` without it) and the values
   * `console.log(tensor)` prints (without it, a tensor prints shape and dtype only).
   */
  readSync?(x: TensorRef<H>): FloatArray;
  /** Frees a handle. Called exactly once per handle. */
  dispose(handle: H): void;
  /** Live handles and bytes, for leak checks. */
  memory?(): BackendMemory;
  /** Releases everything the backend holds (contexts, workers); the backend is unusable afterwards. */
  destroy?(): void | Promise<void>;

  // ---- elementwise ---------------------------------------------------------------------------
  /** Elementwise `op` of every element of `x`, in `x`'s dtype and shape. */
  unary(op: UnaryOp, x: TensorRef<H>): H;
  /** Elementwise with NumPy broadcasting of `a` and `b` to `outShape`. */
  binary(op: BinaryOp, a: TensorRef<H>, b: TensorRef<H>, outShape: Shape): H;
  /** `op(x, scalar)`, or `op(scalar, x)` when `scalarFirst`; the scalar is first rounded to x's dtype. */
  binaryScalar(op: BinaryOp, x: TensorRef<H>, scalar: number, scalarFirst: boolean): H;
  /** `cond ? a : b` elementwise, cond nonzero (NaN included) meaning true, all three broadcast to `outShape`. */
  where(cond: TensorRef<H>, a: TensorRef<H>, b: TensorRef<H>, outShape: Shape): H;
  /** Converts to another dtype (rounding to nearest when narrowing). */
  cast(x: TensorRef<H>, dtype: DType): H;

  // ---- reductions and scans ------------------------------------------------------------------
  /** Reduces over `axis` (already non-negative); the result drops that axis (see ReduceOp for empty axes). */
  reduce(op: ReduceOp, x: TensorRef<H>, axis: number): H;
  /** Inclusive (or exclusive) prefix sum along `axis`, optionally from the end. Same shape as x. */
  cumsum(x: TensorRef<H>, axis: number, exclusive: boolean, reverse: boolean): H;

  // ---- layout ----------------------------------------------------------------------------------
  /** Permutes axes: output axis i is input axis `perm[i]`. */
  transpose(x: TensorRef<H>, perm: readonly number[]): H;
  /** Same elements in row-major order under a new shape of equal size. */
  reshape(x: TensorRef<H>, shape: Shape): H;
  /** Concatenates along `axis`; all inputs agree on every other axis. */
  concat(xs: readonly TensorRef<H>[], axis: number, outShape: Shape): H;
  /** The block starting at `begin` with extent `size` (both full-rank, in range). */
  slice(x: TensorRef<H>, begin: readonly number[], size: Shape): H;

  // ---- products and distances ----------------------------------------------------------------
  /**
   * Batched matrix product of the last two axes, leading axes broadcast:
   * op(a) (..., n, k) times op(b) (..., k, m) where op transposes the last two axes when asked.
   * Both inputs have rank >= 2.
   */
  matmul(a: TensorRef<H>, b: TensorRef<H>, transposeA: boolean, transposeB: boolean, outShape: Shape): H;
  /**
   * Pairwise distances between rows: x (..., n, d) and y (..., m, d) give (..., n, m), leading axes
   * broadcast, without materialising (..., n, m, d). Squared Euclidean distances are never negative.
   */
  cdist(x: TensorRef<H>, y: TensorRef<H>, metric: DistanceMetric, outShape: Shape): H;

  // ---- optional groups: presence is the capability -------------------------------------------
  /**
   * A new tensor of `shape` with every element `value` (already rounded to `dtype`; NaN and ±∞
   * included). Without it core fills a host array and uploads it: for large shapes (the gradient
   * of a sum or mean broadcast back over its input) a native fill skips that allocation and copy.
   */
  fill?(value: number, shape: Shape, dtype: DType): H;
  /** Native decompositions; absent ones use core's host fallback. */
  readonly linalg?: LinalgOps<H>;
  /** Unnormalised fast Walsh–Hadamard transform along the last axis (a power of two). */
  fwht?(x: TensorRef<H>): H;
  /**
   * Fused random Fourier features with p = x @ omega + bias: `scale * cos(p)`, or with `cosSin`
   * `scale * [cos(p), sin(p)]` along the last axis (all cosines, then all sines).
   * x (..., d), omega (d, D), bias (D) -> (..., D) or (..., 2D).
   */
  rffFeatures?(
    x: TensorRef<H>,
    omega: TensorRef<H>,
    bias: TensorRef<H>,
    scale: number,
    cosSin: boolean,
    outShape: Shape,
  ): H;
  /**
   * Fused positive random features (core's `positiveFeatures`), with z = x @ omega:
   * `scale * exp(z − ‖x‖²/2)` ('none'), `scale * exp(z − max_j z_j)` per row ('row'), or
   * `scale * exp(z − ‖x‖²/2 − M)` with M the largest `z − ‖x‖²/2` of each batch element, x's last
   * two axes (all of x for rank <= 2) ('global'). x (..., d), omega (d, D) -> (..., D). Core calls
   * it only while no gradient is recorded. Returning undefined declines the call (core composes it).
   */
  positiveFeatures?(
    x: TensorRef<H>,
    omega: TensorRef<H>,
    stabilizer: PositiveFeatureStabilizer,
    scale: number,
    outShape: Shape,
  ): H | undefined;
  /**
   * Fused `exp(scale * cdist(x, y, metric))` (core's `expCdist`: the exact Gaussian and Laplacian
   * kernel matrices), arguments as for {@link Backend.cdist}; `scale` is finite. Core calls it only
   * while no gradient is recorded. Returning undefined declines the call (core composes it).
   */
  expCdist?(x: TensorRef<H>, y: TensorRef<H>, metric: DistanceMetric, scale: number, outShape: Shape): H | undefined;
  /**
   * Fused linear attention on positive features given in log space (φ = exp(ℓ)):
   * out_i = Σ_j exp(ℓq_i + ℓk_j) v_j / Σ_j exp(ℓq_i + ℓk_j) over every key, or keys j <= i with
   * `causal` (then n = m). logQ (..., n, D), logK (..., m, D), v (..., m, dv), equal leading axes,
   * n, m, D >= 1 -> (..., n, dv). Stabilised as core's composed path is: keys shifted per feature
   * by their maximum over the keys each query sees (never by a later key), queries by their largest
   * term, so every factor is at most 1 and every denominator's largest term is exactly 1.
   * Returning undefined declines the call (e.g. a dtype without a native kernel): core composes it.
   */
  logLinearAttention?(
    logQ: TensorRef<H>,
    logK: TensorRef<H>,
    v: TensorRef<H>,
    causal: boolean,
    outShape: Shape,
  ): H | undefined;
  /**
   * The backward pass of {@link Backend.logLinearAttention}: given its inputs, its output `out`
   * (..., n, dv) and dL/dout `dy` (..., n, dv), the gradients [dL/dlogQ, dL/dlogK, dL/dv] in the
   * inputs' shapes, undefined where `needs` (one flag per input) is false. The stabilising shifts
   * are constants (they cancel in the output), so with P_i = exp(ℓq_i + c − t_i) / den_i the
   * normalised query features, S₁ = φ(K)ᵀ[v, 1] and G₁_i = [dy_i, −dy_i · out_i]:
   * dlogQ = P ⊙ (G₁ S₁ᵀ), dlogK = φ(K) ⊙ ([v, 1] (PᵀG₁)ᵀ), dv = φ(K) (Pᵀ dy).
   * Returning undefined declines the call (e.g. causal, or a dtype without a native kernel): core
   * then runs the rule written with core ops.
   */
  logLinearAttentionGrad?(
    logQ: TensorRef<H>,
    logK: TensorRef<H>,
    v: TensorRef<H>,
    out: TensorRef<H>,
    dy: TensorRef<H>,
    causal: boolean,
    needs: readonly boolean[],
  ): readonly (H | undefined)[] | undefined;
}

/** The methods every backend has; core checks for them when it starts a registered backend. */
export const REQUIRED_BACKEND_METHODS = Object.freeze([
  'fromArray',
  'read',
  'dispose',
  'unary',
  'binary',
  'binaryScalar',
  'where',
  'cast',
  'reduce',
  'cumsum',
  'transpose',
  'reshape',
  'concat',
  'slice',
  'matmul',
  'cdist',
] as const satisfies readonly (keyof Backend)[]);

/** How positive random features are shifted before exp (see core's `positiveFeatures`). */
export type PositiveFeatureStabilizer = 'none' | 'row' | 'global';

/** The optional methods of a backend (presence is the capability); `linalg` is the optional group of decompositions. */
export const OPTIONAL_BACKEND_METHODS = Object.freeze([
  'readSync',
  'memory',
  'destroy',
  'fill',
  'fwht',
  'rffFeatures',
  'positiveFeatures',
  'expCdist',
  'logLinearAttention',
  'logLinearAttentionGrad',
] as const satisfies readonly (keyof Backend)[]);

/** Names of the optional ops, as conformance reports them (native or host fallback). */
export type OptionalOpName =
  | 'fill'
  | 'linalg/qr'
  | 'linalg/eigh'
  | 'linalg/svd'
  | 'fwht'
  | 'rffFeatures'
  | 'positiveFeatures'
  | 'expCdist'
  | 'logLinearAttention'
  | 'logLinearAttentionGrad';

/** Whether `backend` implements an optional op natively (`'native'`) or core falls back (`'fallback'`). */
export function optionalOpSupport(backend: Backend, op: OptionalOpName): 'native' | 'fallback' {
  switch (op) {
    case 'fill':
      return backend.fill ? 'native' : 'fallback';
    case 'linalg/qr':
      return backend.linalg?.qr ? 'native' : 'fallback';
    case 'linalg/eigh':
      return backend.linalg?.eigh ? 'native' : 'fallback';
    case 'linalg/svd':
      return backend.linalg?.svd ? 'native' : 'fallback';
    case 'fwht':
      return backend.fwht ? 'native' : 'fallback';
    case 'rffFeatures':
      return backend.rffFeatures ? 'native' : 'fallback';
    case 'positiveFeatures':
      return backend.positiveFeatures ? 'native' : 'fallback';
    case 'expCdist':
      return backend.expCdist ? 'native' : 'fallback';
    case 'logLinearAttention':
      return backend.logLinearAttention ? 'native' : 'fallback';
    case 'logLinearAttentionGrad':
      return backend.logLinearAttentionGrad ? 'native' : 'fallback';
  }
}
