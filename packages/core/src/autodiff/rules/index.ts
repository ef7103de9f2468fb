/** Every backward rule, by op name. */
import type { TapedOp } from '../tape.js';
import { attentionRules } from './attention.js';
import { binaryRules, unaryRules } from './elementwise.js';
import { linearRules } from './linear.js';
import type { BackwardRule } from './rule.js';
import { layoutRules, reductionRules } from './structure.js';

/** The backward rule of each recorded op. */
export const RULES = {
  ...unaryRules,
  ...binaryRules,
  ...reductionRules,
  ...layoutRules,
  ...linearRules,
  ...attentionRules,
} as Record<TapedOp, BackwardRule>;

export type { BackwardRule };
