/**
 * A dead pool worker is detected instead of hanging the calling thread. The scenarios run in a
 * child process killed after 90 s (a vitest timeout cannot fire while the test's own thread is
 * blocked in Atomics.wait): a worker killed while a job runs (only the supervisor can see that
 * death), one killed between jobs, and the supervisor itself killed while a job runs (its heartbeat
 * falls silent: about 15 s) each make exactly one op fail with ERR_BACKEND_FAILURE saying what died;
 * the backend then computes correctly on one thread and leaks nothing.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

interface Outcome {
  threadsBefore: number;
  code: string | undefined;
  message: string;
  threadsAfter: number;
  note: string | undefined;
  laterOpsCorrect: boolean;
  memory: unknown;
}

describe('a dead pool worker', () => {
  let report: { during: Outcome; between: Outcome; supervisor: Outcome };
  beforeAll(() => {
    const script = fileURLToPath(new URL('./dead-worker.scenario.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
      timeout: 90000,
    });
    expect(child.signal, `the scenarios hung (killed after 90 s): ${child.stderr}`).toBeNull();
    expect(child.status, child.stderr).toBe(0);
    report = JSON.parse(child.stdout.trim().split('\n').pop()!) as typeof report;
  }, 120000);

  it('killed during a job: that op throws ERR_BACKEND_FAILURE, later ops run single-threaded', () => {
    const r = report.during;
    expect(r.threadsBefore).toBe(2);
    expect(r.code).toBe('ERR_BACKEND_FAILURE');
    expect(r.message).toMatch(/^wasm backend: pool worker 1 of 1 exited with code \d+ while running the job/);
    expect(r.message).toMatch(/runs single-threaded from now on$/);
    expect(r.threadsAfter).toBe(1);
    expect(r.note).toMatch(/^single-threaded since pool worker 1 of 1 exited/);
    expect(r.laterOpsCorrect).toBe(true);
    expect(r.memory).toEqual({ handles: 0, bytes: 0 });
  });

  it('killed between jobs: the next threaded op throws once, then the backend works on one thread', () => {
    const r = report.between;
    expect(r.threadsBefore).toBe(3);
    expect(r.code).toBe('ERR_BACKEND_FAILURE');
    expect(r.message).toMatch(/^wasm backend: pool worker 2 of 2 exited with code \d+ before the job started/);
    expect(r.threadsAfter).toBe(1);
    expect(r.laterOpsCorrect).toBe(true);
    expect(r.memory).toEqual({ handles: 0, bytes: 0 });
  });

  it('the supervisor killed during a job: its silent heartbeat ends the wait with the same error', () => {
    const r = report.supervisor;
    expect(r.threadsBefore).toBe(2);
    expect(r.code).toBe('ERR_BACKEND_FAILURE');
    expect(r.message).toMatch(/^wasm backend: the pool supervisor stopped answering for 15 s while running the job/);
    expect(r.threadsAfter).toBe(1);
    expect(r.laterOpsCorrect).toBe(true);
    expect(r.memory).toEqual({ handles: 0, bytes: 0 });
  });
});
