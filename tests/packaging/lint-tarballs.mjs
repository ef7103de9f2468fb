// publint and arethetypeswrong on each packed tarball (what npm users get, not the workspace).
//
// attw runs with the node16 profile (node10 cannot resolve subpath exports and is not supported)
// and ignores one rule, cjs-resolves-to-esm: the packages are ES modules on purpose; their
// `default` export condition lets require() load them on Node >= 20.19 (require(esm)), which
// commonjs.mjs checks at run time.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = (pkg, rel) => join(dirname(fileURLToPath(import.meta.url)), 'node_modules', pkg, rel);
const PUBLINT = bin('publint', 'src/cli.js');
const ATTW = bin('@arethetypeswrong/cli', 'dist/index.js');

function node(args) {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300_000 });
  return { status: r.status ?? 1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Runs both linters on every tarball; `check(ok, what)` records each result. */
export function lintTarballs(tarballs, check) {
  for (const [name, tgz] of Object.entries(tarballs)) {
    const p = node([PUBLINT, 'run', tgz, '--strict']);
    check(p.status === 0, `${name}: publint --strict${p.status === 0 ? '' : `\n${p.out}`}`);
    const a = node([ATTW, tgz, '--profile', 'node16', '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'ascii']);
    check(a.status === 0, `${name}: arethetypeswrong (node16 profile)${a.status === 0 ? '' : `\n${a.out}`}`);
  }
}
