/** The error a failing case throws, and the formatting of its message. */
import type { DType, Precision } from '@spectrans/core';
import { formatShape, unravel } from './reference/ndarray.js';
import type { CloseResult, Tolerance } from './tolerance.js';

/** Thrown by the context's assertions; its message is the case's failure report. */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
}

/** Formats a number exactly (shortest round-trip form), NaN and infinities included. */
export function formatNumber(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/** Formats a small magnitude for reports: `1.23e-7`, `0`, `Infinity`. */
export function formatError(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  return v.toExponential(2);
}

/** Everything a mismatch message shows. */
export interface MismatchDetails {
  readonly what: string;
  readonly result: CloseResult;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly precision: Precision;
  readonly kind: string;
  readonly tolerance: Tolerance;
  readonly k?: number;
  readonly inputs?: Readonly<Record<string, readonly number[]>>;
  readonly seed: number;
}

/**
 * The failure message of an allclose mismatch: worst index, actual, expected, delta, tolerance,
 * shapes and seed.
 */
export function mismatchMessage(d: MismatchDetails): string {
  const { result: r, tolerance: t } = d;
  const total = d.shape.reduce((a, b) => a * b, 1);
  const lines = [
    `${d.what} differs from the reference: ${r.mismatches} of ${total} element(s) outside tolerance ` +
      `(${d.dtype} ${d.precision}, ${d.kind}: atol ${formatError(t.atol)}, rtol ${formatError(t.rtol)}` +
      (t.perTerm > 0 ? `, perTerm ${formatError(t.perTerm)} × k=${d.k ?? 1} × scale` : '') +
      ')',
  ];
  const w = r.worst;
  if (w) {
    lines.push(
      `  worst at ${formatShape(unravel(w.index, d.shape))} (flat ${w.index}): actual ${formatNumber(w.actual)}, expected ${formatNumber(w.expected)}, ` +
        `|delta| ${formatError(w.delta)} > tolerance ${formatError(w.tolerance)}`,
    );
  }
  const inputs = d.inputs ? Object.entries(d.inputs).map(([name, s]) => `${name} ${formatShape(s)}`) : [];
  lines.push(`  shapes: ${d.what} ${formatShape(d.shape)}${inputs.length ? `; ${inputs.join(', ')}` : ''}`);
  lines.push(`  seed: ${d.seed}`);
  return lines.join('\n');
}
