/** The JSON report: every target and every case result. */
import type { TargetReport } from '../runner.js';
import { followsFrom } from './follows.js';

/** The document `--json` writes. */
export interface JsonReport {
  readonly tool: '@spectrans/conformance';
  readonly format: 1;
  readonly generated: string;
  readonly seed: number;
  readonly filter?: string;
  readonly targets: readonly TargetReport[];
  /**
   * Per target, the failing kernel and attention cases whose failure follows from failing ops on
   * that target: case id → op groups (`{ "tfjs-cpu": { "kernels/…/float32": ["ops/cos"] } }`).
   */
  readonly followsFrom?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/**
 * Serialises a report; non-finite numbers (JSON has none) become the strings 'NaN', 'Infinity', '-Infinity'.
 *
 * @example
 * ```ts
 * await writeFile('conformance.json', formatJson({ targets: reports, seed: DEFAULT_SEED }));
 * ```
 */
export function formatJson(report: {
  targets: readonly TargetReport[];
  seed: number;
  filter?: string;
  generated?: Date;
}): string {
  const doc: JsonReport = {
    tool: '@spectrans/conformance',
    format: 1,
    generated: (report.generated ?? new Date()).toISOString(),
    seed: report.seed,
    ...(report.filter !== undefined ? { filter: report.filter } : {}),
    targets: report.targets,
  };
  const follows = Object.fromEntries(
    report.targets
      .map((t) => [t.name, Object.fromEntries(followsFrom(t))] as const)
      .filter(([, m]) => Object.keys(m).length > 0),
  );
  const full: JsonReport = Object.keys(follows).length > 0 ? { ...doc, followsFrom: follows } : doc;
  return `${JSON.stringify(full, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`;
}
