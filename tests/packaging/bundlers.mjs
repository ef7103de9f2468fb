#!/usr/bin/env node
// The bundler test: an application that installed @tensorflow/tfjs-core and ONE tfjs engine
// package (not all of them) must bundle @spectrans/backend-tfjs with esbuild and with Vite.
//
// 1. `pnpm pack` @spectrans/core and @spectrans/backend-tfjs (their dist/ builds must exist).
// 2. Once per engine (cpu, wasm, webgl), a fresh npm project in a temp directory outside the
//    workspace: core + backend-tfjs from the tarballs, tfjs-core and that one engine from npm.
// 3. Controls, showing that another engine really is missing there: esbuild refuses a plain
//    `import()` of it ("Could not resolve", what the package entry hit before), and Vite turns the
//    package entry's import() of it into a chunk that throws at run time.
// 4. Two tiny apps: one imports the per-engine entry (`@spectrans/backend-tfjs/<engine>`), one the
//    package entry with `{ engine }`. Each is bundled by esbuild for Node and for browsers; Vite
//    makes one client (browser) build of both apps, and on cpu also an SSR build for Node. The
//    Node bundles run: on cpu and wasm they print the product computed on the engine, on webgl (no
//    WebGL in Node) the engine's own ERR_BACKEND_INIT; the package-entry app also asks for a missing
//    engine and must get ERR_BACKEND_INIT "not installed", not a crash. No chunk reachable from a
//    per-engine app may throw "Could not resolve". Bundle sizes are reported.
//
// Env: SPECTRANS_PACKAGING_KEEP=1 keeps the temp directory; SPECTRANS_BUNDLERS_ONLY=cpu,wasm,webgl
// runs some engines only.

// pnpm's bin shims point NODE_PATH at the workspace's package store, where every engine is
// installed: a bundler started from here would find the missing engines through it. Clear it
// before esbuild's service process starts (it inherits the environment).
delete process.env.NODE_PATH;

import { Buffer } from 'node:buffer';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const esbuild = await import('esbuild');
const vite = await import('vite');

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const started = Date.now();
const log = (msg) => console.log(`[bundlers ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
let failures = 0;
function check(ok, what, detail = '') {
  if (ok) console.log(`  ok   ${what}`);
  else {
    failures++;
    console.log(`  FAIL ${what}${detail ? `\n${detail}` : ''}`);
  }
}

const TFJS = '4.22.0';
const ENGINE_PACKAGES = {
  cpu: '@tensorflow/tfjs-backend-cpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
  webgl: '@tensorflow/tfjs-backend-webgl',
};
/** What the Node bundle of an app prints on each engine. */
const EXPECT_RUN = {
  cpu: /^result 11$/m,
  wasm: /^result 11$/m,
  webgl: /^error ERR_BACKEND_INIT .*it needs WebGL/m, // the engine's own message: its package loaded
};
// What an ES module bundle for Node needs from CommonJS: tfjs-core's Node build calls
// require('util'), and tfjs-backend-wasm's reads __dirname.
const NODE_BANNER = [
  "import { createRequire as __createRequire } from 'node:module';",
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  'const require = __createRequire(import.meta.url);',
  "const __dirname = __fileURLToPath(new URL('.', import.meta.url));",
].join(' ');

// ---- 1. pack ------------------------------------------------------------------------------------
const tmp = mkdtempSync(join(tmpdir(), 'spectrans-bundlers-'));
const tarDir = join(tmp, 'tarballs');
mkdirSync(tarDir);
const tarballs = {};
for (const [name, dir] of [
  ['@spectrans/core', 'packages/core'],
  ['@spectrans/backend-tfjs', 'packages/backend-tfjs'],
]) {
  if (!existsSync(join(root, dir, 'dist', 'index.js'))) {
    console.error(`${name}: ${dir}/dist/index.js is missing: build first (pnpm build, or run this through turbo)`);
    process.exit(1);
  }
  const before = new Set(readdirSync(tarDir));
  const r = spawnSync('pnpm', ['pack', '--pack-destination', tarDir], { cwd: join(root, dir), encoding: 'utf8' });
  const made = readdirSync(tarDir).filter((f) => !before.has(f) && f.endsWith('.tgz'));
  if (r.status !== 0 || made.length !== 1) {
    console.error(`pnpm pack failed in ${dir}:\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
  tarballs[name] = join(tarDir, made[0]);
}
log(`packed into ${tarDir}`);

// ---- 2. one project per engine ------------------------------------------------------------------
function runAsync(cmd, args, opts) {
  return new Promise((res) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (status) => res({ status: status ?? 1, out }));
    child.on('error', (e) => res({ status: 1, out: String(e) }));
  });
}

const only = process.env.SPECTRANS_BUNDLERS_ONLY?.split(',').map((s) => s.trim());
const engines = Object.keys(ENGINE_PACKAGES).filter((e) => !only || only.includes(e));
log(`installing core + backend-tfjs + tfjs-core + one engine (${engines.join(', ')}), in parallel`);
const installs = await Promise.all(
  engines.map(async (engine) => {
    const dir = join(tmp, `app-${engine}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `app-${engine}`, private: true, type: 'module' }));
    const r = await runAsync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        '--no-package-lock',
        tarballs['@spectrans/core'],
        tarballs['@spectrans/backend-tfjs'],
        `@tensorflow/tfjs-core@${TFJS}`,
        `${ENGINE_PACKAGES[engine]}@${TFJS}`,
      ],
      { cwd: dir, env: { ...process.env, npm_config_workspaces: 'false' } },
    );
    return { engine, dir, r };
  }),
);

// ---- 3 + 4. controls, bundles, runs -------------------------------------------------------------
/** The app: computes [[1, 2]] × [[3], [4]] on the engine and prints it, or the error's code. */
function appSource(from, options, missing) {
  return `import { setBackend, tensor, matmul } from '@spectrans/core';
import { createTfjsBackend } from '${from}';
try {
  await setBackend(await createTfjsBackend(${options}));
  const c = matmul(tensor([[1, 2]]), tensor([[3], [4]]));
  console.log('result', (await c.array())[0][0]);
} catch (e) {
  console.log('error', e.code, e.message);
}
${
  missing
    ? `try {
  await createTfjsBackend({ engine: '${missing}' });
  console.log('missing engine ${missing}: created?!');
} catch (e) {
  console.log('missing engine ${missing}:', e.code, e.message);
}`
    : ''
}
`;
}

async function esbuildBundle(dir, entry, platform, outfile) {
  try {
    const r = await esbuild.build({
      absWorkingDir: dir,
      entryPoints: [entry],
      bundle: true,
      platform,
      format: 'esm',
      target: 'es2022',
      outfile,
      logLevel: 'silent',
      ...(platform === 'node' ? { banner: { js: NODE_BANNER } } : {}),
    });
    return { ok: r.errors.length === 0, errors: r.errors.map((e) => e.text).join('\n') };
  } catch (e) {
    return { ok: false, errors: (e.errors ?? []).map((x) => x.text).join('\n') || String(e) };
  }
}

/**
 * One Vite build of several apps (one build per project keeps the test quick): `inputs` maps entry
 * names to files. Returns the emitted chunks, so each entry's reachable chunks can be inspected.
 */
async function viteBundle(dir, inputs, mode, outDir) {
  const ssr = mode === 'ssr';
  try {
    const result = await vite.build({
      root: dir,
      configFile: false,
      logLevel: 'silent',
      build: {
        outDir,
        emptyOutDir: true,
        target: ssr ? 'node20' : 'es2022',
        reportCompressedSize: false,
        ...(ssr ? { ssr: true } : {}),
        rollupOptions: {
          input: inputs,
          output: { entryFileNames: '[name].mjs', ...(ssr ? { banner: NODE_BANNER } : {}) },
        },
      },
      // An SSR build bundles its dependencies too (by default it leaves node_modules external).
      ...(ssr ? { ssr: { noExternal: true, target: 'node' } } : {}),
    });
    const output = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output ?? []);
    return { ok: true, errors: '', chunks: output.filter((c) => c.type === 'chunk') };
  } catch (e) {
    return { ok: false, errors: e instanceof Error ? e.message : String(e), chunks: [] };
  }
}

/** The chunks an entry loads, statically or through import(). */
function reachableChunks(chunks, entryName) {
  const byFile = new Map(chunks.map((c) => [c.fileName, c]));
  const todo = chunks.filter((c) => c.isEntry && c.name === entryName);
  const seen = new Set();
  while (todo.length > 0) {
    const c = todo.pop();
    if (seen.has(c)) continue;
    seen.add(c);
    for (const f of [...c.imports, ...c.dynamicImports]) if (byFile.has(f)) todo.push(byFile.get(f));
  }
  return [...seen];
}

function sizeOf(texts) {
  const text = texts.join('');
  return `${(Buffer.byteLength(text) / 1024).toFixed(0)} kB, ${(gzipSync(text).length / 1024).toFixed(0)} kB gzipped`;
}

function runNode(dir, file) {
  const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

// Vite's stand-in for a missing optional peer: a tiny chunk that throws `Could not resolve "<name>"`.
const THROWING_STUB = /throw new Error\(`Could not resolve "/;
const isThrowingStub = (code) => THROWING_STUB.test(code) && code.includes('@tensorflow/tfjs-');

for (const { engine, dir, r } of installs) {
  console.log(`\n${engine}: only ${ENGINE_PACKAGES[engine]} of the engines installed`);
  check(r.status === 0, `${engine}: npm install from the tarballs`, r.out);
  if (r.status !== 0) continue;
  // tfjs-backend-wasm and -webgl depend on -cpu, so cpu is present with them.
  const missing = Object.keys(ENGINE_PACKAGES).filter(
    (e) => !existsSync(join(dir, 'node_modules', ENGINE_PACKAGES[e])),
  );
  check(
    !missing.includes(engine) && missing.length > 0,
    `${engine}: control: ${missing.map((e) => ENGINE_PACKAGES[e]).join(' and ')} not installed`,
  );
  if (missing.length === 0) continue;

  // Control: esbuild refuses a plain import() of a missing engine (Vite's answer is checked below).
  const control = join(dir, 'control.mjs');
  writeFileSync(control, `export const load = () => import('${ENGINE_PACKAGES[missing[0]]}');\n`);
  const ce = await esbuildBundle(dir, control, 'browser', join(dir, 'out', 'control-esbuild.mjs'));
  check(
    !ce.ok && /Could not resolve/.test(ce.errors),
    `${engine}: control: esbuild fails on a plain import() of ${ENGINE_PACKAGES[missing[0]]} ("Could not resolve": the failure the package entry had)`,
    ce.errors,
  );

  const apps = [
    { id: 'engine-entry', from: `@spectrans/backend-tfjs/${engine}`, options: '' },
    { id: 'package-entry', from: '@spectrans/backend-tfjs', options: `{ engine: '${engine}' }`, missing: missing[0] },
  ];
  const inputs = {};
  for (const app of apps) {
    inputs[app.id] = join(dir, `${app.id}.mjs`);
    writeFileSync(inputs[app.id], appSource(app.from, app.options, app.missing));
  }
  const expectOut = (app, out) =>
    EXPECT_RUN[engine].test(out) &&
    (app.missing === undefined ||
      new RegExp(`^missing engine ${app.missing}: ERR_BACKEND_INIT .*which is not installed`, 'm').test(out));
  const expectText = (app) =>
    `${engine === 'webgl' ? "the engine's ERR_BACKEND_INIT (no WebGL in Node)" : 'the product, 11'}` +
    `${app.missing ? `, and ERR_BACKEND_INIT "not installed" for engine '${app.missing}'` : ''}`;
  const runs = [];

  // esbuild, for Node (run below) and for browsers.
  for (const app of apps) {
    for (const platform of ['node', 'browser']) {
      const outfile = join(dir, 'out', `${app.id}-esbuild-${platform}.mjs`);
      const t0 = Date.now();
      const b = await esbuildBundle(dir, inputs[app.id], platform, outfile);
      check(b.ok, `${engine}: ${app.from}: esbuild --platform=${platform} bundles it`, b.errors);
      if (!b.ok) continue;
      console.log(`         ${sizeOf([readFileSync(outfile, 'utf8')])} (${Date.now() - t0} ms)`);
      if (platform === 'node') runs.push({ app, bundler: 'esbuild', file: outfile });
    }
  }

  // Vite: one client (browser) build of every app; an SSR build for Node where the engine computes in Node.
  for (const mode of engine === 'cpu' ? ['client', 'ssr'] : ['client']) {
    const outDir = join(dir, 'out', `vite-${mode}`);
    const t0 = Date.now();
    const b = await viteBundle(dir, inputs, mode, outDir);
    check(
      b.ok,
      `${engine}: vite build${mode === 'ssr' ? ' --ssr (for Node, dependencies bundled)' : ''} of the apps`,
      b.errors,
    );
    if (!b.ok) continue;
    console.log(`         (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    const stubsOf = (name) => reachableChunks(b.chunks, name).filter((c) => isThrowingStub(c.code));
    if (mode === 'client') {
      // The package entry names every engine package; Vite replaces each missing one (an optional
      // peer) with a chunk that throws when loaded. This is what the issue saw; asking for that
      // engine then gives ERR_BACKEND_INIT "not installed" (run below on cpu).
      check(
        stubsOf('package-entry').length > 0,
        `${engine}: control: Vite turns the package entry's import() of a missing engine into a chunk that throws "Could not resolve"`,
      );
    }
    for (const app of apps) {
      const chunks = reachableChunks(b.chunks, app.id);
      const stubs = stubsOf(app.id).length;
      console.log(
        `         ${app.from}: vite ${mode}: ${chunks.length} chunk(s), ${sizeOf(chunks.map((c) => c.code))}; ${stubs} chunk(s) throwing "Could not resolve"`,
      );
      if (app.id === 'engine-entry') {
        check(
          stubs === 0,
          `${engine}: ${app.from}: vite ${mode}: no chunk that throws "Could not resolve" at run time`,
        );
      }
      if (mode === 'ssr') runs.push({ app, bundler: 'vite --ssr', file: join(outDir, `${app.id}.mjs`) });
    }
  }

  for (const { app, bundler, file } of runs) {
    const q = runNode(dir, file);
    check(
      q.status === 0 && expectOut(app, q.out),
      `${engine}: ${app.from}: the ${bundler} bundle runs in Node and prints ${expectText(app)}`,
      `--- output (exit ${q.status}):\n${q.out}`,
    );
  }
}

if (process.env.SPECTRANS_PACKAGING_KEEP === '1') log(`kept ${tmp}`);
else rmSync(tmp, { recursive: true, force: true });
log(failures === 0 ? 'bundler test passed' : `bundler test: ${failures} failure(s)`);
process.exit(failures === 0 ? 0 : 1);
