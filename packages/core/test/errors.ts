/** The error assertion shared by core's unit tests (no backend needed). */
import { expect } from 'vitest';
import { SpectransError } from '../src/errors.js';

/** Asserts that `fn` raises a SpectransError with `code`, naming `argument` (in backticks) when given. */
export function expectError(fn: () => unknown, code: string, argument?: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(SpectransError);
  expect((thrown as SpectransError).code).toBe(code);
  if (argument !== undefined) expect((thrown as Error).message).toContain(`\`${argument}\``);
}
