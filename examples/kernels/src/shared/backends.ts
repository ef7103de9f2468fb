/**
 * Picks the backend a training example runs on, by name (`--backend js|tfjs-cpu|tfjs-wasm` on the
 * command line), and the dtype to train in: float64 where the backend declares it, else float32.
 * Any other backend, a third party's included, is passed to `main()` as a `Backend` object.
 */
import { parseArgs } from 'node:util';
import { setBackend, type Backend, type DType } from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';
import { createTfjsBackend } from '@spectrans/backend-tfjs';

/** The backends these examples can start by name. */
export const BACKEND_NAMES = ['js', 'tfjs-cpu', 'tfjs-wasm'] as const;

/** A backend by name, or one built by the caller. */
export type BackendChoice = (typeof BACKEND_NAMES)[number] | Backend;

/** Makes `choice` the current backend; returns its name and the widest float dtype it declares. */
export async function useBackend(choice: BackendChoice = 'js'): Promise<{ name: string; dtype: DType }> {
  let backend: Backend;
  if (typeof choice !== 'string') backend = choice;
  else if (choice === 'js') backend = createJsBackend();
  else if (choice === 'tfjs-cpu' || choice === 'tfjs-wasm')
    backend = (await createTfjsBackend({ engine: choice === 'tfjs-cpu' ? 'cpu' : 'wasm' })) as Backend;
  else throw new Error(`unknown backend '${String(choice)}' (known: ${BACKEND_NAMES.join(', ')})`);
  await setBackend(backend);
  return { name: backend.name, dtype: backend.capabilities.dtypes.float64 ? 'float64' : 'float32' };
}

/** The command line of a training example: `[svgPath] [--backend name] [--quick]`. */
export function cliArgs(argv: readonly string[] = process.argv.slice(2)): {
  svgPath?: string;
  backend: BackendChoice;
  quick: boolean;
} {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { backend: { type: 'string', default: 'js' }, quick: { type: 'boolean', default: false } },
  });
  const backend = values.backend as string;
  if (!(BACKEND_NAMES as readonly string[]).includes(backend))
    throw new Error(`--backend must be one of ${BACKEND_NAMES.join(', ')}, got '${backend}'`);
  return { svgPath: positionals[0], backend: backend as BackendChoice, quick: values.quick as boolean };
}
