/** Error assertions of the integration tests: which SpectransError code a call raises. */
import { SpectransError } from '@spectrans/core';

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
