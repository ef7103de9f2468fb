/**
 * One-line descriptions of tensors and kernels for `toString()` and Node's `util.inspect` (so
 * `console.log`). Nothing here imports node:util: core runs in browsers, and Node finds the hook by
 * the registered symbol `Symbol.for('nodejs.util.inspect.custom')`.
 */
import type { Backend, TensorRef } from './backend/contract.js';
import type { DType, FloatArray } from './dtype.js';
import { sizeOf, type Shape } from './shape.js';

/** Tensors with at most this many elements print every value. */
const PRINT_ALL_MAX = 24;

/** Leading entries printed along an axis of a larger tensor: more along the last (the rows one reads). */
function leadingCount(axis: number, rank: number): number {
  if (axis === rank - 1) return 6;
  return axis === rank - 2 ? 3 : 2;
}

/** What {@link describeTensor} needs of a tensor (a structural type: format.ts imports no Tensor). */
interface Describable {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly backend: Backend;
  readonly isDisposed: boolean;
  ref(argument?: string): TensorRef<unknown>;
}

/**
 * `Tensor float32 [3, 2] on wasm: [[0.1, 0.2], [0.3, 0.4], …]`: dtype, shape, backend and the
 * leading values when the backend reads synchronously; otherwise a hint to read asynchronously.
 * Never throws: a disposed tensor says so, and a failing read is reported in the text.
 */
export function describeTensor(t: Describable): string {
  const head = `Tensor ${t.dtype} [${t.shape.join(', ')}] on ${t.backend.name}`;
  if (t.isDisposed) return `${head} (disposed)`;
  if (typeof t.backend.readSync !== 'function') {
    return `${head} (backend '${t.backend.name}' reads asynchronously: await tensor.array() for the values)`;
  }
  try {
    const shown = t.shape.map((d, axis) =>
      sizeOf(t.shape) <= PRINT_ALL_MAX ? d : Math.min(d, leadingCount(axis, t.shape.length)),
    );
    return `${head}: ${formatNested(readLeading(t.backend, t.ref(), shown), shown, t.shape)}`;
  } catch (e) {
    return `${head} (values unreadable: ${e instanceof Error ? e.message : String(e)})`;
  }
}

/**
 * The leading block `shown` of x, read synchronously: the whole tensor when nothing is cut, else
 * one backend slice (so a large GPU tensor transfers only what is printed), freed at once.
 */
function readLeading(backend: Backend, x: TensorRef<unknown>, shown: Shape): FloatArray {
  const read = backend.readSync!.bind(backend);
  if (sizeOf(shown) === 0) return new Float64Array(0);
  if (shown.every((d, axis) => d === x.shape[axis])) return read(x);
  const handle = backend.slice(
    x,
    shown.map(() => 0),
    shown,
  );
  try {
    return read({ handle, shape: shown, dtype: x.dtype });
  } finally {
    backend.dispose(handle);
  }
}

/** Nested brackets of the block `data` (row-major, shape `shown`), with `…` where `shape` goes on. */
function formatNested(data: FloatArray, shown: Shape, shape: Shape): string {
  if (shape.length === 0) return formatNumber(data[0]!);
  const strides = shown.map((_, axis) => sizeOf(shown.slice(axis + 1)));
  const build = (offset: number, axis: number): string => {
    const items: string[] = [];
    for (let i = 0; i < shown[axis]!; i++) {
      const at = offset + i * strides[axis]!;
      items.push(axis === shape.length - 1 ? formatNumber(data[at]!) : build(at, axis + 1));
    }
    if (shown[axis]! < shape[axis]!) items.push('…');
    return `[${items.join(', ')}]`;
  };
  return build(0, 0);
}

/**
 * A value to six significant digits without trailing zeros (`0.1`, `0.333333`, `1.23457e+8`),
 * `-0` for negative zero, and `NaN` / `Infinity` as JavaScript writes them.
 */
function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Object.is(v, -0)) return '-0';
  const [mantissa, exponent] = v.toPrecision(6).split('e');
  const trimmed = mantissa!.includes('.') ? mantissa!.replace(/\.?0+$/, '') : mantissa!;
  return exponent === undefined ? trimmed : `${trimmed}e${exponent}`;
}

/**
 * `GaussianRFFKernel { inputDim: 2, numFeatures: 1024, sigma: 1, seed: 42 }`: a class name with
 * option values (strings quoted, a backend by its name), marked when the object was disposed.
 */
export function describeOptions(name: string, options: Readonly<Record<string, unknown>>, disposed = false): string {
  const entries = Object.entries(options)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${formatOption(v)}`);
  const body = entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  return `${name}${disposed ? ' (disposed)' : ''} ${body}`;
}

function formatOption(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (v !== null && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string') {
    return `'${(v as { name: string }).name}'`; // a Backend
  }
  return String(v);
}
