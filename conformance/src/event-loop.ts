/**
 * Yielding to the event loop between cases. Backends that compute synchronously (gpu.js, tfjs-cpu,
 * backend-js) resolve every op in microtasks, so a run of thousands of cases never reaches the
 * macrotask queue: vitest's worker cannot receive its RPC replies meanwhile, and once such a stretch
 * outlasts the RPC timeout (60 s, easily reached on a loaded machine) the run fails with
 * `Timeout calling "onTaskUpdate"`.
 */

/** Longest stretch, in milliseconds, allowed to run without a macrotask turn. */
export const MAX_STRETCH_MS = 100;

type Schedule = (callback: () => void) => void;

/** setImmediate where it exists (Node: no clamping); else a MessageChannel turn; else setTimeout. */
function macrotaskScheduler(): Schedule {
  const g = globalThis as { setImmediate?: (cb: () => void) => unknown; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') {
    const setImmediate = g.setImmediate;
    return (cb) => void setImmediate(cb);
  }
  if (typeof g.MessageChannel === 'function') {
    const channel = new g.MessageChannel();
    const queue: (() => void)[] = [];
    channel.port1.onmessage = () => queue.shift()?.();
    return (cb) => {
      queue.push(cb);
      channel.port2.postMessage(undefined);
    };
  }
  return (cb) => void setTimeout(cb, 0);
}

/**
 * Returns a function that resolves after a macrotask turn when at least `maxStretchMs` passed since
 * its last turn, and at once otherwise (so a fast run pays nothing per case).
 */
export function createEventLoopYielder(maxStretchMs = MAX_STRETCH_MS): () => Promise<void> {
  const schedule = macrotaskScheduler();
  let last = performance.now();
  return async () => {
    if (performance.now() - last < maxStretchMs) return;
    await new Promise<void>((resolve) => schedule(resolve));
    last = performance.now();
  };
}
