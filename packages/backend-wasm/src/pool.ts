/**
 * The worker pool: `count` workers (worker_threads in Node, Web Workers in browsers), each with its
 * own instance of the threads build on the shared memory and its own stack, parked in Atomics.wait
 * on a control block in that memory. `run(job, nt)` wakes them, runs share 0 of the job on the
 * calling thread and returns when every worker has finished its share: ops stay synchronous.
 *
 * Death detection. While the calling thread waits for a job it runs no event handlers, so it can
 * not see a worker's `error`/`exit` event itself. The workers are therefore started by a supervisor
 * worker that runs no kernels: its event loop stays free, it receives its children's `error` and
 * `exit` events, and it records a death in the control block (which worker, why) and wakes the
 * waiting thread through the same futex word the workers' completions use. The waiting thread
 * checks the death count on every wake-up: the hot path costs one extra load per wake-up and one
 * store per worker and job. A dead supervisor (its children die with it) is caught by its
 * heartbeat: the waiting thread gives up after the heartbeat has been silent for
 * SUPERVISOR_SILENCE_MS across several of its timed waits. A worker alive but looping forever in a
 * kernel is not a death and is not detected (as the same loop on one thread would not be).
 */
import { SpectransError } from '@spectrans/core/backend';
import type { WasmHeap } from './heap.js';
import { importNode, IS_NODE, type KernelExports } from './runtime.js';

/** Control block words (int32). */
const GEN = 0;
const JOB = 1;
const NT = 2;
const DONE = 3;
const STOP = 4;
const FAILED = 5;
/** Workers the supervisor saw die (outside stop()). */
const DEAD = 6;
/** The supervisor's heartbeat counter. */
const BEAT = 7;
/** The first dead worker's tid, and the byte length of its message. */
const DEAD_TID = 8;
const MSG_LEN = 9;
/** Per worker (tid from 1): words ACK (last generation it finished) and GONE (1 once dead). */
const PER_WORKER = 16;
const MSG_BYTES = 512;
const WORKER_STACK = 1 << 20;

/** Timed waits of the calling thread while a job runs (each wake-up checks deaths and the heartbeat). */
const WAIT_SLICE_MS = 500;
/** Supervisor heartbeat period, and the silence after which the pool counts as dead. */
const BEAT_MS = 250;
const SUPERVISOR_SILENCE_MS = 15000;
/**
 * How long a worker polls for the next job, and the calling thread for the workers' completions,
 * before sleeping in Atomics.wait. Ops come in quick succession, and a futex wake-up costs tens of
 * microseconds on a virtual machine: a 2^17-element mul took 90 µs on 2 threads without polling
 * and 40 µs with it. The price is at most this much spinning after the last job of a burst.
 */
const SPIN_MS = 0.1;
/** How long workers may take to instantiate before the pool gives up. */
const START_TIMEOUT_MS = 60000;

/*
 * The workers' and the supervisor's programs, as source text so they need no files of their own
 * (Node evaluates them as CommonJS scripts, browsers load them from Blob URLs).
 */
const WORKER_SOURCE = `
const isNode = typeof self === 'undefined';
const port = isNode ? require('node:worker_threads').parentPort : self;
function start(init) {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory, cos: Math.cos, sin: Math.sin } });
  instance.exports.__stack_pointer.value = init.stackTop;
  const ctl = new Int32Array(init.memory.buffer, init.control, init.words);
  const run = instance.exports.job_run;
  const ack = ${PER_WORKER} + 2 * (init.tid - 1);
  let seen = Atomics.load(ctl, ${GEN});
  port.postMessage('ready');
  for (;;) {
    let gen = Atomics.load(ctl, ${GEN});
    if (gen === seen) {
      const until = performance.now() + ${SPIN_MS};
      do {
        for (let i = 0; i < 256 && gen === seen; i++) gen = Atomics.load(ctl, ${GEN});
      } while (gen === seen && performance.now() < until);
      while (gen === seen) {
        Atomics.wait(ctl, ${GEN}, seen);
        gen = Atomics.load(ctl, ${GEN});
      }
    }
    seen = gen;
    if (Atomics.load(ctl, ${STOP}) !== 0) break;
    const nt = Atomics.load(ctl, ${NT});
    if (init.tid < nt) {
      try { run(Atomics.load(ctl, ${JOB}), init.tid, nt); } catch (e) { Atomics.store(ctl, ${FAILED}, 1); }
    }
    Atomics.store(ctl, ack, gen);
    Atomics.add(ctl, ${DONE}, 1);
    Atomics.notify(ctl, ${DONE});
  }
  if (isNode) port.close(); else self.close();
}
if (isNode) port.once('message', start); else self.onmessage = (e) => { self.onmessage = null; start(e.data); };
`;

const SUPERVISOR_SOURCE = `
const isNode = typeof self === 'undefined';
const threads = isNode ? require('node:worker_threads') : undefined;
const port = isNode ? threads.parentPort : self;
const WORKER_SOURCE = ${JSON.stringify(WORKER_SOURCE)};
const describe = (e) => (e && e.message !== undefined ? String(e.name || 'Error') + ': ' + e.message : String(e));
function start(init) {
  const ctl = new Int32Array(init.memory.buffer, init.control, init.words);
  const msg = new Uint8Array(init.memory.buffer, init.control + 4 * init.words, ${MSG_BYTES});
  const count = init.stacks.length;
  const workers = [];
  let waiting = count;
  const died = (tid, why) => {
    if (Atomics.load(ctl, ${STOP}) !== 0 || Atomics.load(ctl, ${PER_WORKER} + 2 * (tid - 1) + 1) !== 0) return;
    const text = 'pool worker ' + tid + ' of ' + count + ' ' + why;
    if (waiting > 0) { waiting = -1; port.postMessage({ startFailed: text }); return; }
    if (Atomics.load(ctl, ${DEAD_TID}) === 0) {
      const bytes = new TextEncoder().encode(text).subarray(0, ${MSG_BYTES});
      msg.set(bytes);
      Atomics.store(ctl, ${MSG_LEN}, bytes.length);
      Atomics.store(ctl, ${DEAD_TID}, tid);
    }
    Atomics.store(ctl, ${PER_WORKER} + 2 * (tid - 1) + 1, 1);
    Atomics.add(ctl, ${DEAD}, 1);
    Atomics.notify(ctl, ${DONE});
    port.postMessage({ dead: tid });
  };
  const ready = () => { if (waiting > 0 && --waiting === 0) port.postMessage('ready'); };
  for (let i = 0; i < count; i++) {
    const tid = i + 1;
    const data = { module: init.module, memory: init.memory, control: init.control, words: init.words, tid, stackTop: init.stacks[i] };
    let w;
    if (isNode) {
      w = new threads.Worker(WORKER_SOURCE, { eval: true });
      let error;
      w.once('message', ready);
      w.on('error', (e) => { error = e; });
      w.on('exit', (code) => died(tid, error !== undefined ? 'threw ' + describe(error) : 'exited with code ' + code));
    } else {
      w = new Worker(URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' })));
      w.onmessage = ready;
      w.onerror = (e) => { e.preventDefault(); died(tid, 'threw ' + e.message); };
    }
    w.postMessage(data);
    workers.push(w);
  }
  setInterval(() => Atomics.add(ctl, ${BEAT}, 1), ${BEAT_MS});
  const onCommand = (m) => {
    // Test hook: terminate a worker (tid 0: the supervisor itself) now, or once a job is in flight.
    if (m === null || typeof m !== 'object' || typeof m.terminate !== 'number') return;
    const w = m.terminate === 0 ? { terminate: () => (isNode ? process.exit(1) : self.close()) } : workers[m.terminate - 1];
    if (w === undefined) return;
    const gen = Atomics.load(ctl, ${GEN});
    const poll = () => (Atomics.load(ctl, ${GEN}) !== gen ? w.terminate() : setTimeout(poll, 0));
    if (m.whenBusy) { poll(); port.postMessage({ armed: m.terminate }); } else w.terminate();
  };
  if (isNode) port.on('message', onCommand); else self.onmessage = (e) => onCommand(e.data);
}
if (isNode) port.once('message', start); else self.onmessage = (e) => { self.onmessage = null; start(e.data); };
`;

interface Supervisor {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

/** Why a pool failed, once it has. */
interface PoolFailure {
  readonly message: string;
}

/** Runs jobs on the calling thread plus `count` workers, and notices when one of them dies. */
export class WorkerPool {
  readonly #exports: KernelExports;
  readonly #ctl: Int32Array;
  readonly #msg: Uint8Array;
  readonly #count: number;
  readonly #supervisor: Supervisor;
  readonly #canBlock: boolean;
  readonly #name: string;
  #stopped = false;
  #failure: PoolFailure | undefined;
  #supervisorGone: string | undefined;
  /** Who waits for the supervisor's next notice (a death or a test-hook acknowledgement). */
  readonly #noticeListeners: (() => void)[] = [];

  private constructor(
    exports: KernelExports,
    ctl: Int32Array,
    msg: Uint8Array,
    count: number,
    supervisor: Supervisor,
    name: string,
  ) {
    this.#name = name;
    this.#exports = exports;
    this.#ctl = ctl;
    this.#msg = msg;
    this.#count = count;
    this.#supervisor = supervisor;
    this.#canBlock = IS_NODE;
  }

  /**
   * Starts the supervisor and its `count` workers on `heap`'s shared memory and waits until each
   * worker has instantiated.
   *
   * @throws SpectransError `ERR_BACKEND_INIT` when a worker fails or takes over a minute to start.
   */
  static async start(
    module: WebAssembly.Module,
    heap: WasmHeap,
    exports: KernelExports,
    count: number,
    name: string,
  ): Promise<WorkerPool> {
    const words = PER_WORKER + 2 * count;
    const bytes = 4 * words + MSG_BYTES;
    const control = heap.alloc(bytes);
    const ctl = new Int32Array(heap.memory.buffer, control, words);
    ctl.fill(0);
    const msg = new Uint8Array(heap.memory.buffer, control + 4 * words, MSG_BYTES);
    const stacks: number[] = [];
    for (let w = 0; w < count; w++) stacks.push(heap.alloc(WORKER_STACK) + WORKER_STACK);
    const init = { module, memory: heap.memory, control, words, stacks };

    const started: { pool?: WorkerPool } = {};
    let supervisor: Supervisor & { unref?: () => void };
    let settle: { resolve: () => void; reject: (e: Error) => void } | undefined;
    const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    const onMessage = (m: unknown): void => {
      if (m === 'ready') settle?.resolve();
      else if (typeof m === 'object' && m !== null && 'startFailed' in m)
        settle?.reject(
          new SpectransError('ERR_BACKEND_INIT', `${name} backend: ${String(m.startFailed)} while starting`),
        );
      else if (typeof m === 'object' && m !== null && ('dead' in m || 'armed' in m)) {
        if (started.pool !== undefined) started.pool.#notify();
      }
    };
    const onGone = (why: string): void => {
      settle?.reject(
        new SpectransError('ERR_BACKEND_INIT', `${name} backend: the pool supervisor ${why} while starting`),
      );
      if (started.pool !== undefined) started.pool.#noticeSupervisorGone(why);
    };
    if (IS_NODE) {
      const { Worker } = await importNode<typeof import('node:worker_threads')>('worker_threads');
      const worker = new Worker(SUPERVISOR_SOURCE, { eval: true });
      worker.on('message', onMessage);
      let error: unknown;
      worker.on('error', (e) => (error = e));
      worker.on('exit', (code) =>
        onGone(error !== undefined ? `threw ${String(error)}` : `exited with code ${String(code)}`),
      );
      supervisor = worker;
    } else {
      const url = URL.createObjectURL(new Blob([SUPERVISOR_SOURCE], { type: 'text/javascript' }));
      const worker = new Worker(url);
      worker.onmessage = (e) => onMessage(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        onGone(`threw ${e.message}`);
      };
      supervisor = worker;
    }
    supervisor.postMessage(init);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new SpectransError(
              'ERR_BACKEND_INIT',
              `${name} backend: the ${count} pool workers did not start within ${START_TIMEOUT_MS / 1000} s`,
            ),
          ),
        START_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([ready, timeout]);
    } catch (e) {
      Atomics.store(ctl, STOP, 1);
      void supervisor.terminate();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    // A parked pool must not keep a Node process alive (unref only now: awaiting `ready` needs it).
    supervisor.unref?.();
    started.pool = new WorkerPool(exports, ctl, msg, count, supervisor, name);
    return started.pool;
  }

  /** Threads a job can use: the workers plus the calling thread. */
  get threads(): number {
    return this.#count + 1;
  }

  /** Why the pool stopped working (a worker or the supervisor died); undefined while it works. */
  get failure(): string | undefined {
    return this.#failure?.message;
  }

  /**
   * Runs `job` split `nt` ways (nt <= threads), share 0 on this thread; returns when all are done.
   *
   * @throws SpectransError `ERR_BACKEND_FAILURE` naming the worker and why when a worker died
   * before or during the job (the pool is unusable afterwards; see {@link WorkerPool.failure}), or
   * when a kernel trapped on a worker.
   */
  run(job: number, nt: number): void {
    if (this.#failure !== undefined)
      throw new SpectransError('ERR_BACKEND_FAILURE', `${this.#name} backend: ${this.#failure.message}`);
    if (this.#stopped) throw new SpectransError('ERR_BACKEND_FAILURE', `${this.#name} backend: used after destroy()`);
    this.#throwIfFailed('before the job started');
    const ctl = this.#ctl;
    Atomics.store(ctl, JOB, job);
    Atomics.store(ctl, NT, nt);
    Atomics.store(ctl, DONE, 0);
    const gen = (Atomics.add(ctl, GEN, 1) + 1) | 0;
    Atomics.notify(ctl, GEN);
    try {
      this.#exports.job_run(job, 0, nt);
    } finally {
      // Even when share 0 trapped: the workers still write this job's memory until they finish.
      this.#await(gen);
    }
    this.#throwIfFailed('while running the job; its result is lost');
    if (Atomics.exchange(ctl, FAILED, 0) !== 0)
      throw new SpectransError('ERR_BACKEND_FAILURE', `${this.#name} backend: a kernel failed on a pool worker`);
  }

  /**
   * Waits until every worker has finished generation `gen`, or, once a death is recorded, until
   * every surviving worker has (a dead worker's share is abandoned). Never waits on a silent pool
   * forever: the supervisor's heartbeat is checked whenever a timed wait runs out.
   */
  #await(gen: number): void {
    const ctl = this.#ctl;
    const all = this.#count;
    // Heartbeat bookkeeping starts at the first slice that runs out: nothing extra for short jobs.
    let beat = 0;
    let silentSince = -1;
    let silentWaits = 0;
    let sliceStart = -1;
    let spinUntil = -1;
    for (let done = Atomics.load(ctl, DONE); done < all; done = Atomics.load(ctl, DONE)) {
      if (Atomics.load(ctl, DEAD) !== 0 || this.#supervisorGone !== undefined) {
        if (this.#survivorsDone(gen)) return;
      }
      if (this.#canBlock) {
        if (spinUntil < 0) spinUntil = performance.now() + SPIN_MS;
        if (performance.now() < spinUntil) continue;
        if (Atomics.wait(ctl, DONE, done, WAIT_SLICE_MS) !== 'timed-out') continue;
      } else {
        // A browser's main thread may not block: spin, checking the heartbeat once per slice.
        const t = performance.now();
        if (sliceStart < 0) sliceStart = t;
        if (t - sliceStart < WAIT_SLICE_MS) continue;
        sliceStart = t;
      }
      const now = Atomics.load(ctl, BEAT);
      if (silentSince < 0 || now !== beat) {
        beat = now;
        silentSince = performance.now();
        silentWaits = 0;
      } else if (++silentWaits >= 4 && performance.now() - silentSince >= SUPERVISOR_SILENCE_MS) {
        this.#noticeSupervisorGone(`stopped answering for ${Math.round(SUPERVISOR_SILENCE_MS / 1000)} s`);
        return;
      }
    }
  }

  /** True when every worker not recorded dead has acknowledged generation `gen`. */
  #survivorsDone(gen: number): boolean {
    if (this.#supervisorGone !== undefined) return true; // its workers went with it
    for (let t = 0; t < this.#count; t++) {
      const ack = PER_WORKER + 2 * t;
      if (Atomics.load(this.#ctl, ack + 1) === 0 && Atomics.load(this.#ctl, ack) !== gen) return false;
    }
    return true;
  }

  #throwIfFailed(when: string): void {
    if (this.#failure === undefined) {
      if (this.#supervisorGone !== undefined)
        this.#failure = { message: `the pool supervisor ${this.#supervisorGone}` };
      else if (Atomics.load(this.#ctl, DEAD) !== 0) {
        const len = Atomics.load(this.#ctl, MSG_LEN);
        // Decoders reject views of shared memory: decode a copy.
        this.#failure = { message: new TextDecoder().decode(this.#msg.slice(0, len)) };
      } else return;
      this.#shutdown();
      throw new SpectransError('ERR_BACKEND_FAILURE', `${this.#name} backend: ${this.#failure.message} ${when}`);
    }
  }

  #notify(): void {
    for (const f of this.#noticeListeners.splice(0)) f();
  }

  #noticeSupervisorGone(why: string): void {
    if (this.#stopped || this.#supervisorGone !== undefined) return;
    this.#supervisorGone = why;
    this.#notify();
  }

  /** Stops the surviving workers of a failed pool (in the background). */
  #shutdown(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    Atomics.store(this.#ctl, STOP, 1);
    Atomics.add(this.#ctl, GEN, 1);
    Atomics.notify(this.#ctl, GEN);
    void this.#supervisor.terminate();
  }

  /**
   * Test hook: makes the supervisor terminate worker `tid` (1-based; 0 ends the supervisor itself),
   * at once or as soon as the next job is in flight. Resolves when the death has been recorded, or for `whenBusy` when the
   * supervisor is watching for that job.
   */
  terminateWorkerForTest(tid: number, whenBusy: boolean): Promise<void> {
    // The supervisor is unref'd: hold the event loop open until its answer arrives.
    const handle = this.#supervisor as { ref?: () => void; unref?: () => void };
    handle.ref?.();
    this.#supervisor.postMessage({ terminate: tid, whenBusy });
    return new Promise((resolve) =>
      this.#noticeListeners.push(() => {
        handle.unref?.();
        resolve();
      }),
    );
  }

  /** Stops the workers and the supervisor. */
  async stop(): Promise<void> {
    if (this.#stopped) {
      await this.#supervisor.terminate();
      return;
    }
    this.#stopped = true;
    Atomics.store(this.#ctl, STOP, 1);
    Atomics.add(this.#ctl, GEN, 1);
    Atomics.notify(this.#ctl, GEN);
    await this.#supervisor.terminate();
  }
}
