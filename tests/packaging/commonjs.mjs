// CommonJS consumers: require() of every published entry point, in the consumer projects that
// installed the tarballs. The packages are ES modules with a `default` export condition, so Node's
// require(esm) (unflagged since Node 20.19) loads them; an entry whose module graph has top-level
// await cannot be require()d and must fail with the error the README documents.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The README's documented error for an entry that require() cannot load. */
export const REQUIRE_ASYNC = 'ERR_REQUIRE_ASYNC_MODULE';

/** Entry points by scenario (whose project has them installed); `error` is the expected failure code. */
const ENTRIES = {
  js: [
    { specifier: '@spectrans/core' },
    { specifier: '@spectrans/core/backend' },
    { specifier: '@spectrans/backend-js' },
    // The root entry loads vitest lazily with a top-level await (runConformance needs its runner).
    { specifier: '@spectrans/conformance', error: REQUIRE_ASYNC },
    { specifier: '@spectrans/conformance/report' },
    { specifier: '@spectrans/conformance/reference' },
    { specifier: '@spectrans/conformance/js-targets' },
  ],
  tfjs: [{ specifier: '@spectrans/backend-tfjs' }, { specifier: '@spectrans/backend-tfjs/conformance-targets' }],
  gpujs: [{ specifier: '@spectrans/backend-gpujs' }],
  wasm: [{ specifier: '@spectrans/backend-wasm' }, { specifier: '@spectrans/backend-wasm/conformance-targets' }],
};

// Loads each entry with require() and prints one JSON line per entry; then a computation through
// require()d modules only, so "it loads" also means "it works".
const PROBE = `'use strict';
const entries = JSON.parse(process.argv[2]);
for (const { specifier } of entries) {
  try {
    const m = require(specifier);
    console.log(JSON.stringify({ specifier, exports: Object.keys(m).length }));
  } catch (e) {
    console.log(JSON.stringify({ specifier, code: e.code ?? null, message: String(e.message).split('\\n')[0] }));
  }
}
if (entries.some((e) => e.specifier === '@spectrans/backend-js')) {
  const core = require('@spectrans/core');
  const { createJsBackend } = require('@spectrans/backend-js');
  core
    .setBackend(createJsBackend())
    .then(() => {
      const x = core.tensor([[0, 0], [1, 1]]);
      return new core.GaussianRFFKernel({ inputDim: 2, numFeatures: 64, seed: 1 }).compute(x, x).array();
    })
    .then((k) => console.log(JSON.stringify({ gaussian: k })));
}
`;

/** Runs the probe in `dir` (a consumer project of scenario `id`); `check(ok, what)` records results. */
export function checkCommonJs(id, dir, check) {
  const entries = ENTRIES[id];
  if (!entries) return;
  writeFileSync(join(dir, 'require-probe.cjs'), PROBE);
  const r = spawnSync(process.execPath, ['require-probe.cjs', JSON.stringify(entries)], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const lines = (r.stdout ?? '')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  for (const { specifier, error } of entries) {
    const got = lines.find((l) => l.specifier === specifier);
    const ok = error === undefined ? got?.exports > 0 : got?.code === error;
    const want = error === undefined ? 'loads' : `fails with ${error}, as documented`;
    check(ok, `${id}: require('${specifier}') ${want}${ok ? '' : `\n--- got: ${JSON.stringify(got ?? r.stderr)}`}`);
  }
  if (entries.some((e) => e.specifier === '@spectrans/backend-js')) {
    const k = lines.find((l) => l.gaussian)?.gaussian;
    const ok = Array.isArray(k) && k[0][0] === 1 && Math.abs(k[0][1] - Math.exp(-1)) < 1e-6;
    check(
      ok,
      `${id}: GaussianRFFKernel.compute through require() gives exp(-|x-y|^2/2)${ok ? '' : `\n${r.stdout}${r.stderr}`}`,
    );
  }
}
