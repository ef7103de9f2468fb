/**
 * Building gpu.js kernel sources: a JavaScript function body that gpu.js translates to GLSL,
 * WebAssembly or plain JavaScript. Every tensor is a flat row-major buffer and every kernel has
 * a 1-D output, so `this.thread.x` is the flat output index and shapes are unflattened in the
 * kernel with exact integer arithmetic on floats (exact below 2^24).
 */

/** How elementary functions are emitted: `gl` guards and range-reduces (GLSL is not IEEE); `exact` calls Math directly. */
export type MathFlavor = 'gl' | 'exact';

/** Formats a number as a source literal. */
export function lit(n: number): string {
  if (Number.isNaN(n)) throw new Error('lit: NaN has no literal');
  if (!Number.isFinite(n)) throw new Error('lit: infinities have no literal (use src.inf())');
  const s = String(n);
  return n < 0 ? `(${s})` : s;
}

/** A kernel source under construction. Tensor arguments are `t0..`, scalar uniforms `s0..`. */
export class KernelSource {
  readonly #lines: string[] = [];
  #counter = 0;
  #inf: string | undefined;
  #nan: string | undefined;

  /**
   * @param tensors - number of tensor arguments.
   * @param scalars - number of scalar (uniform float) arguments.
   * @param flavor - how to emit elementary functions.
   */
  constructor(
    readonly tensors: number,
    readonly scalars: number,
    readonly flavor: MathFlavor,
  ) {}

  /** A fresh variable name. */
  fresh(prefix: string): string {
    return `${prefix}_${this.#counter++}`;
  }

  /** Appends statements. */
  line(...statements: string[]): void {
    this.#lines.push(...statements);
  }

  /** Declares `let name = expr;` with a fresh name and returns the name. */
  let(prefix: string, expr: string): string {
    const name = this.fresh(prefix);
    this.#lines.push(`let ${name} = ${expr};`);
    return name;
  }

  /** A variable holding +Infinity (computed at run time: GLSL has no infinity literal). */
  inf(): string {
    if (!this.#inf) {
      this.#inf = this.fresh('inf');
      this.#lines.unshift(`const ${this.#inf} = 1 / 0;`);
    }
    return this.#inf;
  }

  /** A variable holding NaN. */
  nan(): string {
    if (!this.#nan) {
      this.#nan = this.fresh('nan');
      this.#lines.unshift(`const ${this.#nan} = 0 / 0;`);
    }
    return this.#nan;
  }

  /** `tensor[index]` for tensor argument `t`. */
  read(t: number, index: string): string {
    return `t${t}[${index}]`;
  }

  /** The complete `function(t0, ..., s0, ...) { ... }` source returning `result`. */
  build(result: string): string {
    const params = [
      ...Array.from({ length: this.tensors }, (_, i) => `t${i}`),
      ...Array.from({ length: this.scalars }, (_, i) => `s${i}`),
    ];
    return `function(${params.join(', ')}) {\nconst i = this.thread.x;\n${this.#lines.join('\n')}\nreturn ${result};\n}`;
  }
}

/**
 * Splits `flat` into coordinates of `dims` (row-major), returning one variable or literal per axis.
 * Division is a multiply by the reciprocal, corrected by one step either way, so it is exact for
 * any flat index below 2^24 whatever the hardware's division does.
 */
export function unflatten(src: KernelSource, flat: string, dims: readonly number[]): string[] {
  const coords = dims.map(() => '0');
  const live = dims.flatMap((d, k) => (d > 1 ? [k] : []));
  if (live.length === 0) return coords;
  let rest = flat;
  for (let j = live.length - 1; j >= 1; j--) {
    const axis = live[j]!;
    const d = dims[axis]!;
    const q = src.fresh('q');
    const c = src.fresh('c');
    src.line(
      `let ${q} = Math.floor(${rest} * ${lit(Math.fround(1 / d))});`,
      `let ${c} = ${rest} - ${q} * ${d};`,
      `if (${c} < 0) { ${q} = ${q} - 1; ${c} = ${c} + ${d}; }`,
      `if (${c} >= ${d}) { ${q} = ${q} + 1; ${c} = ${c} - ${d}; }`,
    );
    coords[axis] = c;
    rest = q;
  }
  coords[live[0]!] = rest;
  return coords;
}

/** `offset + Σ coords[k] * strides[k]` as an expression (zero strides dropped). */
export function linear(coords: readonly string[], strides: readonly number[], offset = 0): string {
  const terms: string[] = [];
  if (offset !== 0) terms.push(lit(offset));
  coords.forEach((c, k) => {
    const s = strides[k]!;
    if (s === 0 || c === '0') return;
    terms.push(s === 1 ? c : `${c} * ${s}`);
  });
  return terms.length === 0 ? '0' : terms.join(' + ');
}

/**
 * Most loop iterations one kernel invocation may run. Mesa's llvmpipe stops shader loops after
 * 65535 iterations (silently: the sum just ends), and long fragments trip GPU watchdogs
 * elsewhere, so longer sums are split over several invocations and a second pass.
 */
export const MAX_TERMS_PER_THREAD = 8192;

/** The summand of `sumLoop` for index variable `k`: statements, then the value expression. */
export type Summand = (k: string) => { readonly lines?: readonly string[]; readonly value: string };

/**
 * Emits `acc = Σ_{k < n} term(k)` (only the k passing `guard`, when given) and returns the
 * accumulator variable. Long sums are blocked (partial sums of about √n terms) so float32
 * rounding grows like 2√n ulp rather than n ulp. `n` is at most MAX_TERMS_PER_THREAD.
 */
export function sumLoop(src: KernelSource, n: number, term: Summand, guard?: (k: string) => string): string {
  if (n > MAX_TERMS_PER_THREAD) throw new Error(`sumLoop: ${n} terms exceed MAX_TERMS_PER_THREAD; split the sum`);
  const acc = src.let('acc', '0');
  if (n === 0) return acc;
  const body = (k: string, kExpr: string, into: string): string[] => {
    const t = term(k);
    const add = [...(t.lines ?? []), `${into} += ${t.value};`];
    return [`const ${k} = ${kExpr};`, ...(guard ? [`if (${guard(k)}) {`, ...add, '}'] : add)];
  };
  if (n <= 32) {
    const j = src.fresh('j');
    src.line(`for (let ${j} = 0; ${j} < ${n}; ${j}++) {`, ...body(src.fresh('k'), j, acc), '}');
    return acc;
  }
  const block = Math.max(8, Math.round(Math.sqrt(n)));
  const full = Math.floor(n / block);
  const tail = n - full * block;
  const b = src.fresh('b');
  const j = src.fresh('j');
  const part = src.fresh('part');
  src.line(
    `for (let ${b} = 0; ${b} < ${full}; ${b}++) {`,
    `let ${part} = 0;`,
    `for (let ${j} = 0; ${j} < ${block}; ${j}++) {`,
    ...body(src.fresh('k'), `${b} * ${block} + ${j}`, part),
    '}',
    `${acc} += ${part};`,
    '}',
  );
  if (tail > 0) {
    const tpart = src.fresh('part');
    const tj = src.fresh('j');
    src.line(
      `let ${tpart} = 0;`,
      `for (let ${tj} = 0; ${tj} < ${tail}; ${tj}++) {`,
      ...body(src.fresh('k'), `${full * block} + ${tj}`, tpart),
      '}',
      `${acc} += ${tpart};`,
    );
  }
  return acc;
}
