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
  let ms = 0;
  const paths = new Set<string>();
  for (const r of results) {
    counts[r.status]++;
    ms += r.ms;
    if (r.path && r.status !== 'skip') paths.add(r.path);
    if (r.maxError !== undefined && (maxError === undefined || r.maxError > maxError)) maxError = r.maxError;
  }
  const path =
    paths.size === 0 ? undefined : paths.size > 1 ? 'mixed' : (paths.values().next().value as 'native' | 'fallback');
  return { counts, ms, ...(path ? { path } : {}), ...(maxError !== undefined ? { maxError } : {}) };
}

/** Builds the matrix of several targets' reports. */
export function buildMatrix(targets: readonly TargetReport[]): Matrix {
  const groups: string[] = [];
  const seen = new Set<string>();
  for (const t of targets)
    for (const r of t.results) {
      const g = groupOf(r.id);
      if (!seen.has(g)) {
        seen.add(g);
        groups.push(g);
      }
    }
  const cells = new Map<string, (MatrixCell | undefined)[]>();
  for (const g of groups) {
    cells.set(
      g,
      targets.map((t) => {
        const rs = t.results.filter((r) => groupOf(r.id) === g);
        return rs.length === 0 ? undefined : cellOf(rs);
      }),
    );
  }
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
