export { kernelChecks } from './checks.js';
export { attentionChecks, QuadraticFeatureMap } from './attention-checks.js';
export {
  referenceChecks,
  referenceDensityFactor,
  type ReferenceCheck,
  type ReferenceOutcome,
} from './reference-fixtures.js';
export { ensureClose, type KernelCheck, type KernelCheckContext } from './check-context.js';
export { KERNEL_CONFIGS, type KernelConfig } from './configs.js';
