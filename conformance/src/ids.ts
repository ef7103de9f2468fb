/** Matching of case ids: prefixes for filters, whole segments for skips and expected failures. */
import type { CaseFilter, IdReason } from './types.js';

/** True when `pattern` is `id` itself or an ancestor of it (`linalg/svd` matches `linalg/svd/tall/float32`). */
export function idMatches(pattern: string, id: string): boolean {
  const p = pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
  return id === p || id.startsWith(`${p}/`);
}

/** The first entry whose id matches `id` (see {@link idMatches}). */
export function findEntry(entries: readonly IdReason[] | undefined, id: string): IdReason | undefined {
  return entries?.find((e) => idMatches(e.id, id));
}

/** True when `id` passes `filter`: a plain prefix, any of several, or a predicate. */
export function passesFilter(id: string, filter: CaseFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'function') return filter(id);
  if (typeof filter === 'string') return id.startsWith(filter);
  return filter.length === 0 || filter.some((f) => id.startsWith(f));
}

/** The report row of an id: its first two segments (`ops/matmul`, `errors/cdist`, `linalg/qr`). */
export function groupOf(id: string): string {
  return id.split('/').slice(0, 2).join('/');
}
