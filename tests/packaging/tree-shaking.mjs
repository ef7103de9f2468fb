// Tree-shaking of @spectrans/core as installed from its tarball: esbuild bundles (minified, with a
// metafile) of a few imports, reporting how many of core's modules and how many gzipped bytes each
// pulls in. Host linear algebra must only come with the code that calls it:
// - `GaussianRFFKernel` reaches host `eigh` (isPositiveDefinite, on every kernel) and host `qr`
//   (its `orthogonal` option), never SVD, randomized SVD, Cholesky or the Walsh–Hadamard transform;
// - tensors and plain ops reach no host linear algebra at all;
// - loaded without a bundler (native ESM), the kernel's module graph has no linalg barrel or SVD.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** Host linalg modules GaussianRFFKernel may reach, and those it must not. */
const RFF_MAY_REACH = [
  'linalg/eigh.js',
  'linalg/qr.js',
  'linalg/block-reflector.js',
  'linalg/dense.js',
  'linalg/checks.js',
];
const RFF_MUST_NOT_REACH = [
  'linalg/svd.js',
  'linalg/randomized-svd.js',
  'linalg/cholesky.js',
  'linalg/fwht.js',
  'linalg/index.js',
];

function coreModules(coreDir) {
  const out = [];
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.js')) out.push(relative(join(coreDir, 'dist'), p).split(sep).join('/'));
    }
  };
  walk(join(coreDir, 'dist'));
  return out;
}

async function bundle(dir, contents, treeShaking = true) {
  const r = await build({
    stdin: { contents, resolveDir: dir, loader: 'js' },
    absWorkingDir: dir,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    minify: treeShaking,
    treeShaking,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const output = Object.values(r.metafile.outputs)[0];
  const coreOf = (file) => /@spectrans\/core\/dist\/(.*)$/.exec(file.split(sep).join('/'))?.[1];
  const used = Object.entries(output.inputs)
    .filter(([, v]) => v.bytesInOutput > 0)
    .map(([f]) => coreOf(f))
    .filter(Boolean);
  const reached = Object.keys(r.metafile.inputs).map(coreOf).filter(Boolean);
  const bytes = r.outputFiles[0].contents;
  return { used, reached, bytes: bytes.length, gzip: gzipSync(bytes).length };
}

/** Bundles in `dir` (a project with @spectrans/core installed from its tarball). */
export async function checkTreeShaking(dir, check) {
  const coreDir = join(dir, 'node_modules', '@spectrans', 'core');
  const total = coreModules(coreDir).length;
  const report = (what, b) =>
    console.log(
      `       ${what}: ${b.used.length} of core's ${total} modules, ${b.bytes} B minified, ${b.gzip} B gzipped`,
    );

  const all = await bundle(dir, `export * from '@spectrans/core';`);
  report('everything (export * from @spectrans/core)', all);

  const rff = await bundle(dir, `export { GaussianRFFKernel } from '@spectrans/core';`);
  report('import { GaussianRFFKernel }', rff);
  const rffLinalg = rff.used.filter((m) => m.startsWith('linalg/'));
  console.log(`       its host linalg: ${rffLinalg.join(', ') || 'none'}`);
  check(
    rffLinalg.every((m) => RFF_MAY_REACH.includes(m)),
    `tree-shaking: GaussianRFFKernel's bundle has no SVD, randomized SVD, Cholesky or FWHT (${rffLinalg.join(', ')})`,
  );
  check(rff.gzip < all.gzip * 0.6, `tree-shaking: GaussianRFFKernel alone is under 60% of all of core (gzipped)`);

  const ops = await bundle(dir, `export { tensor, matmul, add, exp, sum, setBackend } from '@spectrans/core';`);
  report('import { tensor, matmul, add, exp, sum, setBackend }', ops);
  const opsLinalg = ops.used.filter(
    (m) => m.startsWith('linalg/') || ['ops/eigh.js', 'ops/qr.js', 'ops/svd.js'].includes(m),
  );
  check(
    opsLinalg.length === 0,
    `tree-shaking: tensors and plain ops bundle no host linalg${opsLinalg.length ? `: ${opsLinalg.join(', ')}` : ''}`,
  );

  // Without a bundler every statically imported module is fetched: the kernel's own module graph.
  const graph = await bundle(
    dir,
    `export * from ${JSON.stringify(join(coreDir, 'dist', 'kernels', 'rff.js'))};`,
    false,
  );
  const graphBad = graph.reached.filter((m) => RFF_MUST_NOT_REACH.includes(m));
  console.log(`       kernels/rff.js statically imports ${graph.reached.length} of core's ${total} modules`);
  check(
    graphBad.length === 0,
    `tree-shaking: kernels/rff.js's static module graph reaches no SVD, Cholesky, FWHT or linalg barrel${graphBad.length ? `: ${graphBad.join(', ')}` : ''}`,
  );
}
