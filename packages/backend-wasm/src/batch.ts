/** Per-matrix element offsets of batched matrix operands under broadcasting. */
import { broadcastStrides } from '@spectrans/core/backend';

/**
 * For each of the `size(outBatch)` output matrices (row-major over `outBatch`), the element offset
 * of the matching matrix of each operand, given each operand's batch shape and matrix size.
 */
export function batchOffsets(
  batchShapes: readonly (readonly number[])[],
  matrixSizes: readonly number[],
  outBatch: readonly number[],
): Int32Array[] {
  let count = 1;
  for (const d of outBatch) count *= d;
  const strides = batchShapes.map((s) => broadcastStrides(s, outBatch));
  const result = batchShapes.map(() => new Int32Array(count));
  const index = new Array<number>(outBatch.length).fill(0);
  for (let t = 0; t < count; t++) {
    for (let o = 0; o < batchShapes.length; o++) {
      let off = 0;
      for (let a = 0; a < outBatch.length; a++) off += index[a]! * strides[o]![a]!;
      result[o]![t] = off * matrixSizes[o]!;
    }
    for (let a = outBatch.length - 1; a >= 0; a--) {
      if (++index[a]! < outBatch[a]!) break;
      index[a] = 0;
    }
  }
  return result;
}
