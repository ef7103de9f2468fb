/** Every error case: core must raise the same SpectransError code before any backend method runs. */
import type { ConformanceCase } from '../../types.js';
import { apiErrorCases } from './api.js';
import { creationErrorCases } from './creation.js';
import { kernelOptionCases } from './kernel-options.js';
import { kernelUsageCases } from './kernel-usage.js';
import { shapeErrorCases } from './shapes.js';
import { stateErrorCases } from './state.js';

/** The `errors/...` cases (dtype-independent; inputs are float32). */
export function errorCases(): ConformanceCase[] {
  return [
    ...shapeErrorCases(),
    ...creationErrorCases(),
    ...stateErrorCases(),
    ...apiErrorCases(),
    ...kernelOptionCases(),
    ...kernelUsageCases(),
  ];
}
