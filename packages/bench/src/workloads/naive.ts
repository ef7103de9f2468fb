/** The Python reference's way to evaluate a shift-invariant kernel, kept here as the W3 baseline. */
import { reshape, sub, tidy, type ShiftInvariantKernel, type Tensor } from '@spectrans/core';

/** The reference's exact kernel: build the (..., n, m, d) difference tensor and evaluate κ on it. */
export function naiveCompute(kernel: ShiftInvariantKernel, x: Tensor, y: Tensor): Tensor {
  return tidy(() => {
    const xs = reshape(x, [...x.shape.slice(0, -1), 1, x.shape[x.rank - 1]!]);
    const ys = reshape(y, [...y.shape.slice(0, -2), 1, ...y.shape.slice(-2)]);
    return kernel.evaluateDifference(sub(xs, ys));
  });
}
