#!/usr/bin/env node
// The packaging test: what npm users get must work.
//
// 1. `pnpm pack` every public package (the dist/ builds must exist: turbo builds them first) and
//    check each tarball: built files only, LICENSE + README, an `exports` map whose targets all
//    exist, keywords, and no `workspace:` range left in any dependency field.
// 2. Once per backend, a fresh npm project in a temp directory *outside the workspace*:
//    `npm install` @spectrans/core + that backend from the tarballs (+ the backend's peers from npm).
// 3. The quick starts are extracted from the READMEs (the first ```ts block under "## Quick start":
//    the repository README and core's for backend-js, each backend's own README for the others),
//    type-checked with `tsc --noEmit` (strict, NodeNext) together with a TypeScript consumer of the
//    published types (fixtures/consumer-*.ts), compiled and run with node.
// 4. A missing optional native gives the documented `ERR_BACKEND_INIT`, not a crash at import:
//    tfjs-node cannot be installed here (optional peer, not installed); gpu.js is installed with
//    `--omit=optional`, so headless-gl (`gl`) is absent (it would otherwise build from source).
// 5. publint and arethetypeswrong pass on every tarball (lint-tarballs.mjs); require() of every
//    entry point works or gives the README's documented error (commonjs.mjs); the conformance
//    tarball installs next to the newest vitest that runs on Node 20 and its vitest entries run
//    there (vitest-peer.mjs); esbuild bundles of core report their size and keep host linear
//    algebra out of what does not call it (tree-shaking.mjs).
//
// Env: SPECTRANS_PACKAGING_KEEP=1 keeps the temp directory; SPECTRANS_PACKAGING_ONLY=js,tfjs,gpujs,wasm
// runs some scenarios only (and `vitest`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCommonJs } from './commonjs.mjs';
import { lintTarballs } from './lint-tarballs.mjs';
import { checkTreeShaking } from './tree-shaking.mjs';
import { checkVitestPeer, VITEST_SPEC } from './vitest-peer.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const log = (msg) => console.log(`[packaging ${elapsed()}] ${msg}`);
let failures = 0;
function check(ok, what) {
  if (ok) console.log(`  ok   ${what}`);
  else {
    failures++;
    console.log(`  FAIL ${what}`);
  }
}

/** The public packages, by directory. */
const PACKAGES = {
  '@spectrans/core': 'packages/core',
  '@spectrans/backend-js': 'packages/backend-js',
  '@spectrans/backend-tfjs': 'packages/backend-tfjs',
  '@spectrans/backend-gpujs': 'packages/backend-gpujs',
  '@spectrans/backend-wasm': 'packages/backend-wasm',
  '@spectrans/conformance': 'conformance',
};

/** One fresh project per backend. `npm` lists what is installed besides the two tarballs. */
const SCENARIOS = [
  {
    id: 'js',
    backend: '@spectrans/backend-js',
    npm: [],
    npmFlags: [],
    quickStarts: [
      { from: '@spectrans/core README', pkg: '@spectrans/core' },
      { from: '@spectrans/backend-js README', pkg: '@spectrans/backend-js' },
    ],
    expectOutput: /\[\s*\d|Float32Array\(\d+\) \[/, // values printed (nested arrays or Float32Arrays)
    // The conformance suite from its tarball too: its CLI must run on the installed js backend.
    tarballs: ['@spectrans/conformance'],
    cli: ['spectrans-conformance', '--filter', 'ops/matmul'],
  },
  {
    id: 'tfjs',
    backend: '@spectrans/backend-tfjs',
    npm: [
      '@tensorflow/tfjs-core@4.22.0',
      '@tensorflow/tfjs-backend-wasm@4.22.0',
      '@tensorflow/tfjs-backend-cpu@4.22.0',
    ],
    npmFlags: [],
    quickStarts: [{ from: '@spectrans/backend-tfjs README', pkg: '@spectrans/backend-tfjs' }],
    expectOutput: /\[\s*\[\s*0,\s*8\s*\],\s*\[\s*8,\s*0\s*\]\s*\]/,
  },
  {
    id: 'gpujs',
    backend: '@spectrans/backend-gpujs',
    npm: ['gpu.js@2.24.1'],
    // gpu.js's optional `gl` builds from source (minutes); without it headlessgl must say why.
    npmFlags: ['--omit=optional'],
    quickStarts: [{ from: '@spectrans/backend-gpujs README', pkg: '@spectrans/backend-gpujs' }],
    expectOutput: /Float32Array\(1\) \[ 11 \]/,
  },
  {
    id: 'wasm',
    backend: '@spectrans/backend-wasm',
    npm: [],
    npmFlags: [],
    quickStarts: [
      { from: '@spectrans/backend-wasm README', pkg: '@spectrans/backend-wasm' },
      // The repository README recommends backend-wasm; it prints nested arrays of values.
      { from: 'README.md (repository)', file: join(root, 'README.md'), expectOutput: /\[\s*\[\s*\d/ },
    ],
    expectOutput: /\[\s*\[\s*5,\s*11\s*\],\s*\[\s*11,\s*25\s*\]\s*\]/,
    // backend-wasm runs its rarely used ops through backend-js: a real dependency, from its tarball.
    tarballs: ['@spectrans/backend-js'],
  },
  {
    // The conformance tarball next to the newest vitest that runs on Node 20 (a peer-range check).
    id: 'vitest',
    backend: '@spectrans/backend-js',
    npm: [VITEST_SPEC],
    npmFlags: [],
    quickStarts: [],
    tarballs: ['@spectrans/conformance'],
    only: (dir) => checkVitestPeer(dir, check),
  },
];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  return { status: r.status ?? 1, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
}

function runAsync(cmd, args, opts = {}) {
  return new Promise((res) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (status) => res({ status: status ?? 1, out }));
    child.on('error', (e) => res({ status: 1, out: String(e) }));
  });
}

/** The first ```ts block after the "## Quick start" heading. */
export function extractQuickStart(markdown, where) {
  const lines = markdown.split('\n');
  const h = lines.findIndex((l) => /^##\s+Quick start\b/i.test(l));
  if (h < 0) throw new Error(`${where}: no "## Quick start" section`);
  let i = h + 1;
  while (i < lines.length && !/^```(ts|typescript)\s*$/.test(lines[i])) {
    if (/^##\s/.test(lines[i])) throw new Error(`${where}: no \`\`\`ts block in its Quick start section`);
    i++;
  }
  const end = lines.indexOf('```', i + 1);
  if (i >= lines.length || end < 0) throw new Error(`${where}: unterminated or missing \`\`\`ts block`);
  return lines.slice(i + 1, end).join('\n') + '\n';
}

function listTar(tgz) {
  const r = run('tar', ['tzf', tgz]);
  if (r.status !== 0) throw new Error(`tar tzf ${tgz}: ${r.out}`);
  return r.out
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''));
}

function readFromTar(tgz, file) {
  const r = run('tar', ['xzOf', tgz, `package/${file}`]);
  if (r.status !== 0) throw new Error(`tar: ${file} not in ${tgz}: ${r.out}`);
  return r.out;
}

function exportTargets(exp) {
  if (typeof exp === 'string') return [exp];
  if (exp && typeof exp === 'object') return Object.values(exp).flatMap(exportTargets);
  return [];
}

// ---- 1. pack ----------------------------------------------------------------------------------
const tmp = mkdtempSync(join(tmpdir(), 'spectrans-packaging-'));
const tarDir = join(tmp, 'tarballs');
mkdirSync(tarDir);
log(`packing into ${tarDir}`);
const tarballs = {};
for (const [name, dir] of Object.entries(PACKAGES)) {
  if (!existsSync(join(root, dir, 'dist', 'index.js'))) {
    console.error(
      `${name}: ${dir}/dist/index.js is missing: build first (pnpm build, or run this through turbo: pnpm test)`,
    );
    process.exit(1);
  }
  const before = new Set(readdirSync(tarDir));
  const r = run('pnpm', ['pack', '--pack-destination', tarDir], { cwd: join(root, dir) });
  const made = readdirSync(tarDir).filter((f) => !before.has(f) && f.endsWith('.tgz'));
  if (r.status !== 0 || made.length !== 1) {
    console.error(`pnpm pack failed in ${dir}:\n${r.out}`);
    process.exit(1);
  }
  tarballs[name] = join(tarDir, made[0]);
}

log('checking the tarballs');
for (const [name, tgz] of Object.entries(tarballs)) {
  const files = listTar(tgz);
  const pkg = JSON.parse(readFromTar(tgz, 'package.json'));
  console.log(`${name} (${files.length} files)`);
  check(files.includes('LICENSE') && files.includes('README.md'), `${name}: LICENSE and README.md are packed`);
  check(
    files.includes('dist/index.js') && files.includes('dist/index.d.ts') && files.includes('dist/index.js.map'),
    `${name}: dist/index.js, .d.ts and .js.map are packed`,
  );
  const stray = files.filter(
    (f) => !/^(dist\/|bin\/|fixtures\/)/.test(f) && !['LICENSE', 'README.md', 'package.json'].includes(f),
  );
  check(
    stray.length === 0,
    `${name}: nothing but dist/, bin/, fixtures/, LICENSE, README.md, package.json${stray.length ? `: also ${stray.slice(0, 5).join(', ')}` : ''}`,
  );
  check(
    !files.some((f) => f.endsWith('.tsbuildinfo') || /(^|\/)test\//.test(f) || f.startsWith('src/')),
    `${name}: no src/, tests or build info`,
  );
  const workspaceRanges = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'].flatMap(
    (field) =>
      Object.entries(pkg[field] ?? {})
        .filter(([, v]) => String(v).startsWith('workspace:'))
        .map(([k, v]) => `${field}.${k}=${v}`),
  );
  check(
    workspaceRanges.length === 0,
    `${name}: no workspace: ranges${workspaceRanges.length ? `: ${workspaceRanges.join(', ')}` : ''}`,
  );
  for (const [k, v] of Object.entries(pkg.peerDependencies ?? {})) {
    if (k.startsWith('@spectrans/')) check(v === `^${pkg.version}`, `${name}: peer ${k} is ^${pkg.version} (got ${v})`);
  }
  check(pkg.exports && typeof pkg.exports === 'object' && pkg.exports['.'], `${name}: has an exports map`);
  // `default` (the ESM file) lets require() load the entry on Node >= 20.19 and serves any bundler.
  const noDefault = Object.entries(pkg.exports ?? {}).filter(
    ([k, v]) => k !== './package.json' && (typeof v !== 'object' || v.default !== v.import),
  );
  check(
    noDefault.length === 0,
    `${name}: every exports entry has a default condition equal to import${noDefault.length ? `: not ${noDefault.map(([k]) => k).join(', ')}` : ''}`,
  );
  const targets = exportTargets(pkg.exports);
  const missing = targets.filter((t) => !files.includes(t.replace(/^\.\//, '')));
  check(
    missing.length === 0 && targets.every((t) => !t.includes('/src/')),
    `${name}: every exports target is a packed dist/ file${missing.length ? `: missing ${missing.join(', ')}` : ''}`,
  );
  check(pkg.types === './dist/index.d.ts' && pkg.main === './dist/index.js', `${name}: main and types point at dist/`);
  check(
    Array.isArray(pkg.keywords) && pkg.keywords.length > 0 && pkg.license === 'MIT',
    `${name}: keywords and license`,
  );
  check(pkg.type === 'module' && pkg.sideEffects === false, `${name}: ESM, sideEffects false`);
  for (const bin of Object.values(typeof pkg.bin === 'string' ? { b: pkg.bin } : (pkg.bin ?? {}))) {
    check(files.includes(bin.replace(/^\.\//, '')), `${name}: bin ${bin} is packed`);
  }
}

log('publint and arethetypeswrong on the tarballs');
lintTarballs(tarballs, check);

// ---- 2. install, once per backend ----------------------------------------------------------------
const only = process.env.SPECTRANS_PACKAGING_ONLY?.split(',').map((s) => s.trim());
const scenarios = SCENARIOS.filter((s) => !only || only.includes(s.id));
log(`installing into fresh projects (${scenarios.map((s) => s.id).join(', ')}), in parallel`);
const installs = await Promise.all(
  scenarios.map(async (s) => {
    const dir = join(tmp, `consumer-${s.id}`);
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: `consumer-${s.id}`, private: true, type: 'module' }, null, 2),
    );
    const t0 = Date.now();
    const r = await runAsync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        '--no-package-lock',
        ...s.npmFlags,
        tarballs['@spectrans/core'],
        tarballs[s.backend],
        ...(s.tarballs ?? []).map((n) => tarballs[n]),
        ...s.npm,
      ],
      { cwd: dir, env: { ...process.env, npm_config_workspaces: 'false' } },
    );
    return { s, dir, r, seconds: (Date.now() - t0) / 1000 };
  }),
);

// ---- 3 + 4. quick starts, consumer types, missing natives ---------------------------------------
for (const { s, dir, r, seconds } of installs) {
  console.log(`\n${s.id}: npm install ${s.backend} + @spectrans/core (${seconds.toFixed(1)}s)`);
  check(r.status === 0, `${s.id}: npm install from the tarballs${r.status === 0 ? '' : `\n${r.out}`}`);
  if (r.status !== 0) continue;
  if (s.only) {
    s.only(dir);
    continue;
  }

  const sources = [];
  s.quickStarts.forEach((q, i) => {
    const md = q.file ? readFileSync(q.file, 'utf8') : readFromTar(tarballs[q.pkg], 'README.md');
    const code = extractQuickStart(md, q.from);
    const file = `quick-start-${i}.ts`;
    writeFileSync(join(dir, file), `// Extracted from ${q.from}, section "Quick start".\n${code}\nexport {};\n`);
    sources.push({ file, from: q.from, expectOutput: q.expectOutput ?? s.expectOutput });
  });
  for (const f of readdirSync(join(here, 'fixtures')).filter(
    (f) => f.startsWith(`consumer-${s.id}.`) || f.startsWith(`natives-${s.id}.`),
  )) {
    writeFileSync(join(dir, f), readFileSync(join(here, 'fixtures', f)));
  }
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false, // our .d.ts (and our peers') must compile for users who check them
          // no `types`: every visible @types package is included, as in a default user project
          outDir: 'out',
          rootDir: '.',
        },
        include: ['*.ts'],
      },
      null,
      2,
    ),
  );
  // Type-check the README code and the consumer against the published .d.ts (no skipLibCheck for
  // our packages: their declarations must compile for users too).
  const typecheck = run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], { cwd: dir });
  check(
    typecheck.status === 0,
    `${s.id}: tsc --noEmit (strict, NodeNext) of the quick start(s) and fixtures/consumer-${s.id}.ts against the published types${typecheck.status === 0 ? '' : `\n${typecheck.out}`}`,
  );
  const emit = run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noCheck'], { cwd: dir });
  if (emit.status !== 0) {
    check(false, `${s.id}: compile to JavaScript\n${emit.out}`);
    continue;
  }
  for (const { file, from, expectOutput } of sources) {
    const js = join('out', file.replace(/\.ts$/, '.js'));
    const q = run(process.execPath, [js], { cwd: dir, timeout: 120_000 });
    check(
      q.status === 0 && expectOutput.test(q.out),
      `${s.id}: the quick start of ${from} runs and prints what it says${q.status === 0 && expectOutput.test(q.out) ? '' : `\n--- output (exit ${q.status}):\n${q.out}`}`,
    );
  }
  if (s.cli) {
    const [bin, ...args] = s.cli;
    const c = run(join(dir, 'node_modules', '.bin', bin), args, { cwd: dir, timeout: 120_000 });
    const ok = c.status === 0 && /ops\/matmul/.test(c.out) && /\bjs\b/.test(c.out);
    check(
      ok,
      `${s.id}: npx ${s.cli.join(' ')} (installed from the tarball) prints the matrix and exits 0${ok ? '' : `\n--- output (exit ${c.status}):\n${c.out}`}`,
    );
  }
  for (const f of readdirSync(dir).filter((f) => /^(consumer|natives)-.*\.ts$/.test(f))) {
    const js = join('out', f.replace(/\.ts$/, '.js'));
    const q = run(process.execPath, [js], { cwd: dir, timeout: 120_000 });
    check(q.status === 0, `${s.id}: ${f} runs${q.status === 0 ? '' : `\n--- output (exit ${q.status}):\n${q.out}`}`);
    if (q.status === 0)
      for (const line of q.out.split('\n').filter((l) => l.startsWith('ok '))) console.log(`       ${line}`);
  }
  checkCommonJs(s.id, dir, check);
  if (s.id === 'js') await checkTreeShaking(dir, check);
}

if (process.env.SPECTRANS_PACKAGING_KEEP === '1') log(`kept ${tmp}`);
else rmSync(tmp, { recursive: true, force: true });
log(failures === 0 ? 'packaging test passed' : `packaging test: ${failures} failure(s)`);
process.exit(failures === 0 ? 0 : 1);
