/**
 * Bad option bags of every kernel constructor: not an object, null values, unknown keys (typos and
 * Python spellings), a bad backend or dtype, and every option given each kind of bad value. Each
 * must raise ERR_INVALID_ARGUMENT before the backend allocates anything.
 */
import * as core from '@spectrans/core';
import type { ConformanceCase } from '../../types.js';

/** A constructor under test with a valid base bag and the bad values of each option. */
export interface KernelSpec {
  /** kebab-case id segment. */
  readonly id: string;
  readonly make: (options: unknown) => core.KernelModule;
  /** A valid bag (without backend). */
  readonly base: Readonly<Record<string, unknown>>;
  /** Options that must be present. */
  readonly required: readonly string[];
  /** Bad values per option, by label. */
  readonly bad: Readonly<Record<string, readonly (readonly [string, unknown])[]>>;
}

const size: readonly (readonly [string, unknown])[] = [
  ['zero', 0],
  ['negative', -1],
  ['fraction', 1.5],
  ['nan', NaN],
  ['infinite', Infinity],
  ['string', '8'],
  ['boolean', true],
];
const sigma: readonly (readonly [string, unknown])[] = [
  ['zero', 0],
  ['negative', -1],
  ['nan', NaN],
  ['infinite', Infinity],
  ['string', '1'],
  ['float32-underflow', 1e-20],
  ['float32-overflow', 1e20],
];
const flag: readonly (readonly [string, unknown])[] = [
  ['string', 'yes'],
  ['number', 1],
];
const choice: readonly (readonly [string, unknown])[] = [
  ['unknown', 'bogus'],
  ['number', 1],
];
const seed: readonly (readonly [string, unknown])[] = [
  ['negative', -1],
  ['fraction', 1.5],
  ['unsafe', 2 ** 53],
  ['string', '1'],
];
/** A bounded whole-number option: negative, not whole, beyond its limit. */
function count(fraction: number, huge: number): readonly (readonly [string, unknown])[] {
  return [
    ['negative', -1],
    ['fraction', fraction],
    ['huge', huge],
  ];
}
const scalar: readonly (readonly [string, unknown])[] = [
  ['nan', NaN],
  ['infinite', Infinity],
  ['float32-overflow', 1e39],
  ['string', '1'],
];

/** A random-feature map (inputDim 4, numFeatures 8, seed 1): both sizes required, then its own options. */
function featureMap(
  id: string,
  make: KernelSpec['make'],
  bad: Readonly<Record<string, readonly (readonly [string, unknown])[]>>,
): KernelSpec {
  return {
    id,
    make,
    base: { inputDim: 4, numFeatures: 8, seed: 1 },
    required: ['inputDim', 'numFeatures'],
    bad: { inputDim: size, numFeatures: size, ...bad },
  };
}

/** Every kernel with its options. */
export const KERNEL_SPECS: readonly KernelSpec[] = [
  featureMap('gaussian-rff', (o) => new core.GaussianRFFKernel(o as never), {
    sigma,
    useCosSin: flag,
    trainable: flag,
    seed,
    orthogonal: flag,
    orthogonalNorms: choice,
  }),
  featureMap('laplacian-rff', (o) => new core.LaplacianRFFKernel(o as never), {
    sigma,
    useCosSin: flag,
    trainable: flag,
    seed,
  }),
  featureMap('orthogonal-rff', (o) => new core.OrthogonalRandomFeatures(o as never), {
    sigma,
    kernelType: choice,
    useHadamard: flag,
    trainable: flag,
    orthogonalNorms: choice,
    sorfApply: choice,
    seed,
  }),
  featureMap('rff-attention', (o) => new core.RFFAttentionKernel(o as never), {
    kernelType: choice,
    useOrthogonal: flag,
    redraw: flag,
    redrawInterval: size,
    stabilize: flag,
    seed,
  }),
  {
    id: 'polynomial-spectral',
    make: (o) => new core.PolynomialSpectralKernel(o as never),
    base: { rank: 2 },
    required: ['rank'],
    bad: {
      rank: size,
      normalize: flag,
      degree: count(2.5, 1000),
      coef0: scalar,
      alpha: scalar,
      normalization: choice,
    },
  },
  {
    id: 'truncated-svd',
    make: (o) => new core.TruncatedSVDKernel(o as never),
    base: { rank: 2 },
    required: ['rank'],
    bad: {
      rank: size,
      normalize: flag,
      useRandomized: flag,
      seed,
      oversample: count(0.5, 1e9),
      powerIterations: count(0.5, 1e9),
    },
  },
  {
    id: 'learnable-spectral',
    make: (o) => new core.LearnableSpectralKernel(o as never),
    base: { rank: 2, inputDim: 4, seed: 1 },
    required: ['rank', 'inputDim'],
    bad: {
      rank: [...size, ['above-input-dim', 5]],
      inputDim: size,
      normalize: flag,
      initScale: scalar,
      trainableEigenvectors: flag,
      seed,
    },
  },
  {
    id: 'fourier-kernel',
    make: (o) => new core.FourierKernel(o as never),
    base: { rank: 2, inputDim: 8 },
    required: ['rank', 'inputDim'],
    bad: {
      rank: [...size, ['above-bins', 6]],
      inputDim: size,
      learnableFilter: flag,
      filterType: choice,
      cutoffFreq: [
        ['zero', 0],
        ['negative', -0.5],
        ['nan', NaN],
        ['infinite', Infinity],
      ],
      normalize: [
        ['false', false],
        ['true', true],
      ],
    },
  },
  {
    id: 'cosine',
    make: (o) => new core.CosineKernel(o as never),
    base: {},
    required: [],
    bad: {
      eps: [
        ['negative', -1],
        ['nan', NaN],
        ['infinite', Infinity],
        ['float32-overflow', 1e39],
      ],
      epsMode: choice,
    },
  },
  {
    id: 'polynomial',
    make: (o) => new core.PolynomialKernel(o as never),
    base: {},
    required: [],
    bad: {
      degree: count(1.5, 65),
      alpha: scalar,
      coef0: scalar,
    },
  },
];

/** The Python spelling of a camelCase key (`inputDim` -> `input_dim`), or a suffixed key for one-word keys. */
function snakeOrSuffixed(key: string): string {
  return /[A-Z]/.test(key) ? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : `${key}_value`;
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** A case asserting that building `spec` from `bag(backend)` raises ERR_INVALID_ARGUMENT before any backend call. */
function rejects(id: string, spec: KernelSpec, bag: (backend: core.Backend) => unknown): ConformanceCase {
  return {
    id,
    run(ctx) {
      ctx.expectError('ERR_INVALID_ARGUMENT', () => {
        spec.make(bag(ctx.guarded.backend)).dispose();
      });
    },
  };
}

/** `errors/options/<kernel>/...`: the bag itself and every option's bad values. */
export function kernelOptionCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const spec of KERNEL_SPECS) {
    const prefix = `errors/options/${spec.id}`;
    const first = Object.keys(spec.bad)[0]!;
    cases.push(
      rejects(`${prefix}/bag-null`, spec, () => null),
      rejects(`${prefix}/bag-array`, spec, () => [spec.base]),
      rejects(`${prefix}/bag-number`, spec, () => 42),
      rejects(`${prefix}/null-value`, spec, (backend) => ({ ...spec.base, backend, [first]: null })),
      rejects(`${prefix}/typo-key`, spec, (backend) => ({ ...spec.base, backend, [`${first}s`]: 1 })),
      rejects(`${prefix}/snake-case-key`, spec, (backend) => ({ ...spec.base, backend, [snakeOrSuffixed(first)]: 1 })),
      rejects(`${prefix}/backend-not-a-backend`, spec, () => ({ ...spec.base, backend: { name: 'fake' } })),
      rejects(`${prefix}/dtype-unknown`, spec, (backend) => ({ ...spec.base, backend, dtype: 'float16' })),
    );
    if (spec.required.length > 0) cases.push(rejects(`${prefix}/bag-missing`, spec, () => undefined));
    for (const key of spec.required) {
      cases.push(
        rejects(`${prefix}/missing-${kebab(key)}`, spec, (backend) => {
          const bag: Record<string, unknown> = { ...spec.base, backend };
          delete bag[key];
          return bag;
        }),
      );
    }
    for (const [key, values] of Object.entries(spec.bad)) {
      for (const [label, value] of values)
        cases.push(
          rejects(`${prefix}/${kebab(key)}/${label}`, spec, (backend) => ({ ...spec.base, backend, [key]: value })),
        );
    }
  }
  return cases;
}
