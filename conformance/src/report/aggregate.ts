/** Aggregation of per-case results into the report matrix: rows are op/kernel groups, columns targets. */
import { groupOf } from '../ids.js';
import type { TargetReport } from '../runner.js';
import type { CaseResult, CaseStatus } from '../types.js';

/** Counts and extremes of one group on one target. */
export interface MatrixCell {
  readonly counts: Readonly<Record<CaseStatus, number>>;
  /** 'native' / 'fallback' for optional ops ('mixed' if both occur), else undefined. */
  readonly path?: 'native' | 'fallback' | 'mixed';
  /** Largest maxError of the group's cases. */
  readonly maxError?: number;
  /** Largest `toleranceFraction` of the group's cases that ran: 1 is the limit of passing. */
  readonly toleranceFraction?: number;
  /** Sum of the cases' times in milliseconds. */
  readonly ms: number;
}

/** The matrix: group rows in corpus order, one cell per target (undefined when the group has no case there). */
export interface Matrix {
  readonly groups: readonly string[];
  readonly targets: readonly TargetReport[];
  readonly cells: ReadonlyMap<string, readonly (MatrixCell | undefined)[]>;
}

/** Totals over every target. */
export interface Totals {
  readonly cases: number;
  readonly counts: Readonly<Record<CaseStatus, number>>;
  readonly targets: number;
  readonly unavailable: number;
  readonly ms: number;
}

function emptyCounts(): Record<CaseStatus, number> {
  return { pass: 0, fail: 0, skip: 0, xfail: 0 };
}

function cellOf(results: readonly CaseResult[]): MatrixCell {
  const counts = emptyCounts();
  let maxError: number | undefined;
  let fraction: number | undefined;
  let ms = 0;
  const paths = new Set<string>();
  for (const r of results) {
    counts[r.status]++;
    ms += r.ms;
    if (r.path && r.status !== 'skip') paths.add(r.path);
    if (r.maxError !== undefined && (maxError === undefined || r.maxError > maxError)) maxError = r.maxError;
    const f = r.toleranceFraction;
    if (f !== undefined && r.status !== 'skip' && (fraction === undefined || f > fraction)) fraction = f;
  }
  const path =
    paths.size === 0 ? undefined : paths.size > 1 ? 'mixed' : (paths.values().next().value as 'native' | 'fallback');
  return {
    counts,
    ms,
    ...(path ? { path } : {}),
    ...(maxError !== undefined ? { maxError } : {}),
    ...(fraction !== undefined ? { toleranceFraction: fraction } : {}),
  };
}

/** Builds the matrix of several targets' reports. */
export function buildMatrix(targets: readonly TargetReport[]): Matrix {
  // One pass per target: its results by group, groups in first-seen (corpus) order.
  const groups: string[] = [];
  const seen = new Set<string>();
  const byTarget = targets.map((t) => {
    const byGroup = new Map<string, CaseResult[]>();
    for (const r of t.results) {
      const g = groupOf(r.id);
      const list = byGroup.get(g);
      if (list) list.push(r);
      else byGroup.set(g, [r]);
      if (!seen.has(g)) {
        seen.add(g);
        groups.push(g);
      }
    }
    return byGroup;
  });
  const cells = new Map<string, (MatrixCell | undefined)[]>();
  for (const g of groups)
    cells.set(
      g,
      byTarget.map((byGroup) => {
        const rs = byGroup.get(g);
        return rs ? cellOf(rs) : undefined;
      }),
    );
  return { groups, targets, cells };
}

/** Totals over every target's results. */
export function totals(targets: readonly TargetReport[]): Totals {
  const counts = emptyCounts();
  let cases = 0;
  let ms = 0;
  for (const t of targets) {
    ms += t.ms;
    for (const r of t.results) {
      counts[r.status]++;
      cases++;
    }
  }
  return {
    cases,
    counts,
    targets: targets.length,
    unavailable: targets.filter((t) => t.status === 'unavailable').length,
    ms,
  };
}

/** True when any case failed (the CLI's exit code 1). */
export function anyFailed(targets: readonly TargetReport[]): boolean {
  return targets.some((t) => t.results.some((r) => r.status === 'fail'));
}
