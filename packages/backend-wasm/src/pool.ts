/**
 * The worker pool: `count` workers (worker_threads in Node, Web Workers in browsers), each with its
 * own instance of the threads build on the shared memory and its own stack, parked in Atomics.wait
 * on a control block in that memory. `run(job, nt)` wakes them, runs share 0 of the job on the
 * calling thread and returns when every worker has finished its share: ops stay synchronous.
 */
import type { WasmHeap } from './heap.js';
import { importNode, IS_NODE, type KernelExports } from './runtime.js';

/** Control block words (int32). */
const GEN = 0;
const JOB = 1;
const NT = 2;
const DONE = 3;
const STOP = 4;
const FAILED = 5;
const CONTROL_BYTES = 64;
const WORKER_STACK = 1 << 20;

/*
 * The worker's whole program, as source text so it needs no file of its own (Node evaluates it as a
 * CommonJS script, browsers load it from a Blob URL).
 */
const WORKER_SOURCE = `
const isNode = typeof self === 'undefined';
const port = isNode ? require('node:worker_threads').parentPort : self;
function start(init) {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory, cos: Math.cos, sin: Math.sin } });
  instance.exports.__stack_pointer.value = init.stackTop;
  const ctl = new Int32Array(init.memory.buffer, init.control, ${CONTROL_BYTES / 4});
  const run = instance.exports.job_run;
  let seen = Atomics.load(ctl, ${GEN});
  port.postMessage('ready');
  for (;;) {
    Atomics.wait(ctl, ${GEN}, seen);
    const gen = Atomics.load(ctl, ${GEN});
    if (gen === seen) continue;
    seen = gen;
    if (Atomics.load(ctl, ${STOP}) !== 0) break;
    const nt = Atomics.load(ctl, ${NT});
    if (init.tid < nt) {
      try { run(Atomics.load(ctl, ${JOB}), init.tid, nt); } catch (e) { Atomics.store(ctl, ${FAILED}, 1); }
    }
    Atomics.add(ctl, ${DONE}, 1);
    Atomics.notify(ctl, ${DONE});
  }
  if (isNode) port.close(); else self.close();
}
if (isNode) port.once('message', start); else self.onmessage = (e) => { self.onmessage = null; start(e.data); };
`;

interface PoolWorker {
  terminate(): unknown;
}

/** Runs jobs on the calling thread plus `count` workers. */
export class WorkerPool {
  readonly #exports: KernelExports;
  readonly #ctl: Int32Array;
  readonly #workers: PoolWorker[];
  readonly #canBlock: boolean;
  #stopped = false;

  private constructor(exports: KernelExports, ctl: Int32Array, workers: PoolWorker[]) {
    this.#exports = exports;
    this.#ctl = ctl;
    this.#workers = workers;
    this.#canBlock = IS_NODE;
  }

  /** Starts `count` workers on `heap`'s shared memory and waits until each has instantiated. */
  static async start(
    module: WebAssembly.Module,
    heap: WasmHeap,
    exports: KernelExports,
    count: number,
  ): Promise<WorkerPool> {
    const control = heap.alloc(CONTROL_BYTES);
    const ctl = new Int32Array(heap.memory.buffer, control, CONTROL_BYTES / 4);
    ctl.fill(0);
    const workers: PoolWorker[] = [];
    const ready: Promise<void>[] = [];
    for (let w = 0; w < count; w++) {
      const stack = heap.alloc(WORKER_STACK);
      const init = { module, memory: heap.memory, control, tid: w + 1, stackTop: stack + WORKER_STACK };
      if (IS_NODE) {
        const { Worker } = await importNode<typeof import('node:worker_threads')>('worker_threads');
        const worker = new Worker(WORKER_SOURCE, { eval: true });
        ready.push(
          new Promise<void>((resolve, reject) => {
            worker.once('message', () => resolve());
            worker.once('error', reject);
          }),
        );
        worker.postMessage(init);
        workers.push(worker);
      } else {
        const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
        const worker = new Worker(url);
        ready.push(
          new Promise<void>((resolve, reject) => {
            worker.onmessage = () => resolve();
            worker.onerror = (e) => reject(new Error(`wasm backend: a pool worker failed to start: ${e.message}`));
          }),
        );
        worker.postMessage(init);
        workers.push(worker);
      }
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      for (const w of workers) void w.terminate();
      throw e;
    }
    // Parked workers must not keep a Node process alive (unref only now: awaiting `ready` needs them).
    for (const w of workers) (w as { unref?: () => void }).unref?.();
    return new WorkerPool(exports, ctl, workers);
  }

  /** Threads a job can use: the workers plus the calling thread. */
  get threads(): number {
    return this.#workers.length + 1;
  }

  /** Runs `job` split `nt` ways (nt <= threads), share 0 on this thread; returns when all are done. */
  run(job: number, nt: number): void {
    if (this.#stopped) throw new Error('wasm backend: used after destroy()');
    const ctl = this.#ctl;
    Atomics.store(ctl, JOB, job);
    Atomics.store(ctl, NT, nt);
    Atomics.store(ctl, DONE, 0);
    Atomics.add(ctl, GEN, 1);
    Atomics.notify(ctl, GEN);
    try {
      this.#exports.job_run(job, 0, nt);
    } finally {
      // Even when share 0 trapped: the workers still write this job's memory until they finish.
      const all = this.#workers.length;
      for (let done = Atomics.load(ctl, DONE); done < all; done = Atomics.load(ctl, DONE)) {
        if (this.#canBlock) Atomics.wait(ctl, DONE, done, 1000);
      }
    }
    if (Atomics.exchange(ctl, FAILED, 0) !== 0) throw new Error('wasm backend: a kernel failed on a pool worker');
  }

  /** Stops and terminates the workers. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    Atomics.store(this.#ctl, STOP, 1);
    Atomics.add(this.#ctl, GEN, 1);
    Atomics.notify(this.#ctl, GEN);
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
