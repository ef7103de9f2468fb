/** Error measures of the approximation-quality cases: relative Frobenius errors and their slope in D. */

/** Relative Frobenius error ‖A − E‖ / ‖E‖. */
export function relativeFrobenius(a: Float64Array, e: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < e.length; i++) {
    num += (a[i]! - e[i]!) ** 2;
    den += e[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

/** Arithmetic mean. */
export function mean(v: readonly number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}

/** Least-squares slope of log(error) against log(D): an error shrinking like 1/√D gives −0.5. */
export function logLogSlope(Ds: readonly number[], errors: readonly number[]): number {
  const lx = Ds.map(Math.log);
  const ly = errors.map(Math.log);
  const mx = mean(lx);
  const my = mean(ly);
  return lx.reduce((acc, v, i) => acc + (v - mx) * (ly[i]! - my), 0) / lx.reduce((acc, v) => acc + (v - mx) ** 2, 0);
}
