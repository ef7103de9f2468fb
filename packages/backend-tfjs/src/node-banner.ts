/**
 * tfjs's cpu engine greets Node users once, on its first tensor, with a console banner ("Hi, looks
 * like you are running TensorFlow.js in Node.js...") that lands in the middle of users' output.
 */
import type { Tf } from './engines.js';

/**
 * Makes the active engine's first tensor with tfjs's `PROD` flag on (it mutes tfjs's own warnings),
 * then restores the flag: the banner is spent without being printed and every later warning still
 * shows. Synchronous, so no other code runs while the flag is on. A no-op once the engine has
 * written a tensor.
 */
export function spendFirstTensorQuietly(tf: Pick<Tf, 'env' | 'zeros' | 'dispose'>): void {
  const env = tf.env();
  const prod = env.getBool('PROD');
  env.set('PROD', true);
  try {
    tf.dispose(tf.zeros([1]));
  } finally {
    env.set('PROD', prod);
  }
}
