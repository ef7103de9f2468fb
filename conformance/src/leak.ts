/** Leak checks around each case: core's live tensor count and the backend's live handles. */
import { liveTensorCount, type Backend } from '@spectrans/core';

/** Live tensors and (when the backend reports memory) live handles and their bytes at one moment. */
export interface LeakSnapshot {
  readonly tensors: number;
  readonly handles?: number;
  readonly bytes?: number;
}

/** Takes a snapshot of core's live tensors and `backend.memory()` handles and bytes. */
export function leakSnapshot(backend: Backend): LeakSnapshot {
  const mem = backend.memory?.();
  return mem === undefined
    ? { tensors: liveTensorCount() }
    : { tensors: liveTensorCount(), handles: mem.handles, bytes: mem.bytes };
}

/**
 * Compares two snapshots; returns the problems (empty when nothing leaked).
 *
 * @example
 * ```ts
 * const before = leakSnapshot(backend);
 * // ... run and dispose ...
 * const problems = compareLeaks(before, leakSnapshot(backend)); // [] when clean
 * ```
 */
export function compareLeaks(before: LeakSnapshot, after: LeakSnapshot): string[] {
  const problems: string[] = [];
  if (after.tensors !== before.tensors) {
    problems.push(
      `leak: core's liveTensorCount() went from ${before.tensors} to ${after.tensors} (tensors created and not disposed)`,
    );
  }
  if (before.handles !== undefined && after.handles !== undefined && after.handles !== before.handles) {
    problems.push(
      `leak: backend memory().handles went from ${before.handles} to ${after.handles} (handles the backend created and never freed, or freed twice)`,
    );
  } else if (before.bytes !== undefined && after.bytes !== undefined && after.bytes !== before.bytes) {
    problems.push(
      `leak: backend memory().bytes went from ${before.bytes} to ${after.bytes} with the same number of handles (a handle's storage kept or miscounted)`,
    );
  }
  return problems;
}
