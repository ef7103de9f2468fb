/**
 * Job records: the int32 words `job_run` reads (layouts documented in csrc/gemm.c and
 * csrc/elementwise.c), op codes, and the GEMM workspace sizes. Keep in sync with csrc/.
 */
import type { BinaryOp, UnaryOp } from '@spectrans/core/backend';

/** Job kinds (csrc/job.c). */
export const JOB = {
  gemmF32: 1,
  gemmF64: 2,
  unaryF32: 3,
  binaryF32: 4,
  reduceF32: 5,
  cumsumF32: 6,
  whereF32: 7,
  cdistL1F32: 8,
  posFeaturesF32: 9,
  /** Fused log-space linear attention (csrc/attention.c). */
  laKeysF32: 20,
  laQueriesF32: 21,
  laCausalF32: 22,
} as const;

/** Reduction op codes (csrc/reduce.c). */
export const REDUCE_F32 = { sum: 0, max: 1, min: 2 } as const;

/** GEMM epilogues (csrc/gemm.c). */
export const EPILOGUE = { none: 0, rffCos: 1, rffCosSin: 2, sqDistances: 3, timesF: 4, sqDistancesExp: 5 } as const;

/** A number rounded to float32, as the int32 word of a job record that carries its bits. */
export function float32Bits(value: number): number {
  return new Int32Array(Float32Array.of(value).buffer)[0]!;
}

/** Words of one job record (the record block is this many int32s, 16-byte aligned). */
export const JOB_WORDS = 32;

/** float32 unary ops with their SIMD kernel's code (csrc/elementwise.c): every unary op. */
export const UNARY_F32: Record<UnaryOp, number> = {
  neg: 0,
  abs: 1,
  exp: 2,
  sqrt: 3,
  square: 4,
  reciprocal: 5,
  sin: 6,
  cos: 7,
  relu: 8,
  sign: 9,
  log: 10,
  tanh: 11,
  elu: 12,
};

/** float32 binary ops with their SIMD kernel's code (csrc/elementwise.c): every binary op. */
export const BINARY_F32: Record<BinaryOp, number> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
  greater: 6,
  greaterEqual: 7,
  less: 8,
  lessEqual: 9,
  equal: 10,
  pow: 11,
};

/** Work (multiply-adds or elements) below which a job runs on the calling thread alone. */
export const PARALLEL_MIN_FLOPS = 1 << 20;
export const PARALLEL_MIN_ELEMENTS = 1 << 17;
