/** Reverse-mode automatic differentiation over the ops contract, and optimisers. */
export {
  valueAndGrads,
  grads,
  grad,
  valueAndGrad,
  type GradientTargets,
  type HasTrainableParameters,
  type ValueAndGrads,
} from './gradients.js';
export { isRecording } from './tape.js';
export { Optimizer, SGD, Adam, type SGDOptions, type AdamOptions, type OptimizerTarget } from './optimizers.js';
