/**
 * Run by pool.test.ts in a child process with a kill timeout, because a hang would block the
 * thread that would have to report it. Kills pool workers during a job and between jobs, and
 * prints one JSON line: for each scenario the error of the op that met the death, the threading
 * state afterwards, whether later ops computed correctly on one thread, and the live memory.
 */
import { SpectransError } from '@spectrans/core/backend';
import { createWasmBackend, type WasmBackend } from '../src/index.js';
import { terminatePoolWorkerForTest } from '../src/backend.js';
import { ref, uniforms, upload } from './helpers.js';

interface Outcome {
  threadsBefore: number;
  code: string | undefined;
  message: string;
  threadsAfter: number;
  note: string | undefined;
  laterOpsCorrect: boolean;
  memory: unknown;
}

/** Whether a float32 n x n matmul matches a float64 product on a few entries. */
function matmulCorrect(b: WasmBackend, n: number): boolean {
  const a = uniforms(n * n, 5, -1, 1);
  const ra = upload(b, a, [n, n]);
  const out = b.matmul(ra, ra, false, false, [n, n]);
  const got = b.readSync!(ref(out, [n, n]));
  b.dispose(ra.handle);
  b.dispose(out);
  return [
    [0, 0],
    [n - 1, 3],
    [n >> 1, n - 1],
  ].every(([i, j]) => {
    let want = 0;
    for (let p = 0; p < n; p++) want += a[i! * n + p]! * a[p * n + j!]!;
    return Math.abs(got[i! * n + j!]! - want) < 1e-4 * n;
  });
}

async function scenario(threads: number, tid: number, whenBusy: boolean): Promise<Outcome> {
  const b = await createWasmBackend({ threads });
  const threadsBefore = b.threads;
  matmulCorrect(b, 256);
  // During a job: a matmul long enough (about 8.6 GFLOP per thread) that the worker dies inside
  // its share. Between jobs: the next op large enough to use the pool.
  const n = whenBusy ? 2048 : 512;
  const x = upload(b, uniforms(n * n, 3, -1, 1), [n, n]);
  await terminatePoolWorkerForTest(b, tid, whenBusy);
  let error: unknown;
  try {
    b.dispose(b.matmul(x, x, false, false, [n, n]));
  } catch (e) {
    error = e;
  }
  b.dispose(x.handle);
  const outcome: Outcome = {
    threadsBefore,
    code: error instanceof SpectransError ? error.code : undefined,
    message: error instanceof Error ? error.message : String(error),
    threadsAfter: b.threads,
    note: b.threadingNote,
    laterOpsCorrect: matmulCorrect(b, 512) && matmulCorrect(b, 300),
    memory: b.memory!(),
  };
  await b.destroy();
  return outcome;
}

const during = await scenario(2, 1, true);
const between = await scenario(3, 2, false);
// The supervisor itself gone mid-job: nobody records a death, the heartbeat's silence ends the wait.
const supervisor = await scenario(2, 0, true);
console.log(JSON.stringify({ during, between, supervisor }));
