/** The shape of a backward rule. */
import type { Tensor } from '../../tensor.js';
import type { TapeEntry } from '../tape.js';

/**
 * Gradient of the loss with respect to each input of `entry`, given `dy`, its gradient with
 * respect to the output (for ops with several outputs, `dys` holds one per output, undefined for
 * outputs the loss does not reach, and `dy` is the first defined one). Entries are undefined for inputs with `needsGrad` false. Every rule is
 * written with core ops, so it runs on any backend.
 */
export type BackwardRule = (
  entry: TapeEntry,
  dy: Tensor,
  dys: readonly (Tensor | undefined)[],
) => (Tensor | undefined)[];

/** The saved copy of input i (the tape saves what the rule's entry in SAVES names). */
export function savedInput(entry: TapeEntry, i: number): Tensor {
  const t = entry.saved[i];
  if (t === undefined) throw new Error(`backward ${entry.op}: input ${i} was not saved`);
  return t;
}

/** The saved copy of the output. */
export function savedOutput(entry: TapeEntry): Tensor {
  if (entry.savedOutput === undefined) throw new Error(`backward ${entry.op}: the output was not saved`);
  return entry.savedOutput;
}
