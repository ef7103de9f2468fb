/** Error assertions shared by core's tests (no backend needed). */
import { expect } from 'vitest';
import { SpectransError } from '../src/errors.js';

/** The SpectransError code `fn` raises, `other: …` for any other error, undefined when it returns. */
export function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof SpectransError ? e.code : `other: ${String(e)}`;
  }
  return undefined;
}

/** {@link errorCode} for an async function. */
export async function errorCodeAsync(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (e) {
    return e instanceof SpectransError ? e.code : `other: ${String(e)}`;
  }
  return undefined;
}

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
