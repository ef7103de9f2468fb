/** The `attention/...` cases: linear attention against exact references, FAVOR+, softmax attention, errors. */
import type { DType } from '@spectrans/core';
import type { ConformanceCase } from '../../types.js';
import { attentionErrorCases } from './errors.js';
import { favorCases } from './favor.js';
import { linearAttentionCases } from './linear.js';
import { softmaxAttentionCases } from './softmax.js';

/** Every attention case for `dtype`. */
export function attentionCases(dtype: DType): ConformanceCase[] {
  return [
    ...linearAttentionCases(dtype),
    ...favorCases(dtype),
    ...softmaxAttentionCases(dtype),
    ...attentionErrorCases(dtype),
  ];
}
