/** What every workload gets, and the helper that measures one case on every backend. */
import type { LoadedBackend } from '../backends.js';
import type { BenchConfig } from '../config.js';
import { measureInterleaved, type Entry, type Outcome, type Prepared, type RepeatPolicy } from '../harness.js';
import type { CaseResult, Workload } from '../types.js';

export interface Ctx {
  readonly config: BenchConfig;
  readonly backends: readonly LoadedBackend[];
  readonly log: (line: string) => void;
}

export interface CaseSpec {
  readonly workload: Workload;
  readonly id: string;
  readonly label: string;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly flops?: number;
  readonly policy?: RepeatPolicy;
}

/** A compact line for the console: median per backend. */
export function outcomeText(o: Outcome | undefined): string {
  if (!o) return '-';
  if (o.status === 'error') return `error (${o.error.slice(0, 60)})`;
  if (o.status === 'skipped') return 'skipped';
  return `${formatMs(o.summary.median)}${o.summary.n > 1 ? '' : ' (1 run)'}`;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms >= 10000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** Measures one case on every loaded backend (interleaved) plus any extra reference entries. */
export async function measureCase(
  ctx: Ctx,
  spec: CaseSpec,
  prepare: (b: LoadedBackend) => Prepared | Promise<Prepared>,
  extra: readonly Entry[] = [],
): Promise<CaseResult> {
  const entries: Entry[] = ctx.backends.map((b) => ({
    id: b.id,
    backend: b.backend,
    ...(b.tf ? { tf: b.tf } : {}),
    prepare: () => prepare(b),
  }));
  const outcomes = await measureInterleaved([...entries, ...extra], spec.policy ?? ctx.config.policy);
  const result: CaseResult = {
    workload: spec.workload,
    id: spec.id,
    label: spec.label,
    params: spec.params,
    ...(spec.flops !== undefined ? { flops: spec.flops } : {}),
    outcomes: Object.fromEntries(outcomes),
  };
  ctx.log(`  ${spec.id.padEnd(34)} ${[...outcomes].map(([id, o]) => `${id}: ${outcomeText(o)}`).join(' | ')}`);
  return result;
}

/** A Prepared whose run produces a tensor that is read back (the clock stops on the host). */
export function readBack<T extends { data(): Promise<unknown>; dispose(): void }>(
  make: () => T,
  dispose: () => void,
): Prepared {
  return {
    async run() {
      const out = make();
      await out.data();
      return out;
    },
    dispose,
  };
}
