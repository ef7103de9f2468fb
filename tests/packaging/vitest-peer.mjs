// @spectrans/conformance next to the newest vitest that runs on this Node: the `vitest` peer range
// must let `npm install` resolve (no ERESOLVE) and the README's vitest entry must run under it.
// vitest 4 is the newest major whose engines accept Node 20 (vitest 5 needs Node >= 22.12).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the scenario installs from npm besides the tarballs. */
export const VITEST_SPEC = 'vitest@^4';

// The README's quick start, filtered to a few cases, through both entries that register tests.
const ROOT_ENTRY = `import { runConformance } from '@spectrans/conformance';
import { JS_TARGET } from '@spectrans/conformance/js-targets';

runConformance({ ...JS_TARGET, filter: ['ops/matmul', 'kernels/gaussian-rff'] });
`;
const VITEST_ENTRY = `import { runConformance } from '@spectrans/conformance/vitest';
import { JS_TARGET } from '@spectrans/conformance/js-targets';

runConformance({ ...JS_TARGET, name: 'js (static vitest entry)', filter: 'ops/add' });
`;

/** Runs vitest on the two entries in `dir`, where the scenario installed vitest and the tarballs. */
export function checkVitestPeer(dir, check) {
  const vitest = JSON.parse(readFileSync(join(dir, 'node_modules', 'vitest', 'package.json'), 'utf8'));
  const major = Number(vitest.version.split('.')[0]);
  check(major >= 4, `vitest: npm installed vitest ${vitest.version} next to the conformance tarball`);
  writeFileSync(join(dir, 'conformance-root.test.mjs'), ROOT_ENTRY);
  writeFileSync(join(dir, 'conformance-vitest.test.mjs'), VITEST_ENTRY);
  const r = spawnSync(
    process.execPath,
    [join(dir, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=verbose', '--no-color'],
    { cwd: dir, encoding: 'utf8', timeout: 300_000, env: { ...process.env, CI: '1' } },
  );
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const passed = Number(/Tests\s+(\d+) passed/.exec(out)?.[1] ?? 0);
  const ok = r.status === 0 && /Test Files\s+2 passed/.test(out) && passed > 0 && !/Tests\s.*\d+ failed/.test(out);
  check(
    ok,
    `vitest: the conformance vitest entries run under vitest ${vitest.version} (${passed} tests passed)${ok ? '' : `\n--- output (exit ${r.status}):\n${out}`}`,
  );
}
