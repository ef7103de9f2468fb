#!/usr/bin/env node
/**
 * Compiles csrc/*.c into dist/spectrans-simd.wasm (private memory) and
 * dist/spectrans-simd-threads.wasm (shared memory, for the worker pool) with clang and wasm-ld.
 * Freestanding C: no libc, no emscripten; JavaScript provides the memory and Math.sin/Math.cos.
 *
 *   node scripts/build-wasm.mjs [--if-missing]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'csrc');
const out = join(root, 'dist');
const sources = readdirSync(src)
  .filter((f) => f.endsWith('.c'))
  .sort();
const inputs = [...sources, ...readdirSync(src).filter((f) => f.endsWith('.h'))].map((f) => join(src, f));

const variants = [
  { file: 'spectrans-simd.wasm', cflags: ['-mbulk-memory'], ldflags: ['--max-memory=4294967296'] },
  {
    file: 'spectrans-simd-threads.wasm',
    cflags: ['-matomics', '-mbulk-memory'],
    ldflags: ['--shared-memory', '--max-memory=4294967296'],
  },
];

function tool(names) {
  for (const name of names) {
    try {
      execFileSync(name, ['--version'], { stdio: 'ignore' });
      return name;
    } catch {
      // try the next name
    }
  }
  throw new Error(
    `build-wasm: none of ${names.join(', ')} found; install clang and lld (Debian: apt-get install clang lld)`,
  );
}

const ifMissing = process.argv.includes('--if-missing');
const newest = Math.max(...inputs.map((f) => statSync(f).mtimeMs), statSync(fileURLToPath(import.meta.url)).mtimeMs);
const upToDate = variants.every((v) => existsSync(join(out, v.file)) && statSync(join(out, v.file)).mtimeMs >= newest);
if (ifMissing && upToDate) process.exit(0);

const clang = tool(['clang', 'clang-16', 'clang-15', 'clang-14']);
const wasmLd = tool(['wasm-ld', 'wasm-ld-16', 'wasm-ld-15', 'wasm-ld-14']);
mkdirSync(out, { recursive: true });
for (const v of variants) {
  const objDir = join(out, `.obj-${v.file}`);
  mkdirSync(objDir, { recursive: true });
  const objects = sources.map((f) => {
    const obj = join(objDir, f.replace(/\.c$/, '.o'));
    execFileSync(
      clang,
      [
        '--target=wasm32',
        '-msimd128',
        '-mmutable-globals',
        '-mnontrapping-fptoint',
        '-msign-ext',
        '-O3',
        '-nostdlib',
        '-ffreestanding',
        '-fno-builtin',
        '-Wall',
        '-Wextra',
        '-Werror',
        ...v.cflags,
        ...(process.env.SPECTRANS_WASM_CFLAGS ?? '').split(' ').filter(Boolean),
        '-c',
        join(src, f),
        '-o',
        obj,
      ],
      { stdio: 'inherit' },
    );
    return obj;
  });
  execFileSync(
    wasmLd,
    [
      '--no-entry',
      '--import-memory',
      '--import-undefined',
      ...(process.env.SPECTRANS_WASM_KEEP_NAMES ? [] : ['--strip-all']),
      '-z',
      'stack-size=1048576',
      '--export=__stack_pointer',
      '--export=__heap_base',
      ...v.ldflags,
      ...objects,
      '-o',
      join(out, v.file),
    ],
    { stdio: 'inherit' },
  );
  rmSync(objDir, { recursive: true, force: true });
}
console.log(`build-wasm: ${variants.map((v) => v.file).join(', ')}`);
