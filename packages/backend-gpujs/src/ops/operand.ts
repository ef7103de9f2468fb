/** What an op kernel needs of an input tensor: its shape and its live storage. */
import type { Shape } from '@spectrans/core';
import type { Storage } from '../storage.js';

/** A tensor argument resolved to its storage. */
export interface Operand {
  readonly shape: Shape;
  readonly storage: Storage;
}
