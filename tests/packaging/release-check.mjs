#!/usr/bin/env node
// Release check, without releasing and without touching the repository's versions:
//
// 1. `changeset version` runs on a copy of the workspace's manifests (root package.json,
//    pnpm-workspace.yaml, .changeset/, every workspace package.json) in a temp directory, and must
//    give every package of the fixed group (@spectrans/*, public) one and the same new version,
//    leave private packages alone, write a CHANGELOG.md per public package and consume the
//    pending changesets. With no pending changeset there is nothing to check (reported, passes).
// 2. `pnpm -r publish --dry-run` over the public packages must exit 0 and report no warning or
//    error (it packs with publishConfig applied; nothing is uploaded).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let failures = 0;
function check(ok, what, detail = '') {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}${ok || !detail ? '' : `\n${detail}`}`);
  if (!ok) failures++;
}
const run = (cmd, args, opts) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  return { status: r.status ?? 1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
};

/** Workspace package directories from pnpm-workspace.yaml's `packages:` globs (dir/* and dir). */
function workspaceDirs() {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [...yaml.matchAll(/^\s+-\s+['"]?([^'"\s]+)['"]?\s*$/gm)]
    .map((m) => m[1])
    .filter((g) => !g.includes('!'));
  const dirs = [];
  for (const g of globs) {
    if (g.endsWith('/*')) {
      const base = g.slice(0, -2);
      if (!existsSync(join(root, base))) continue;
      for (const d of readdirSync(join(root, base), { withFileTypes: true })) {
        if (d.isDirectory() && existsSync(join(root, base, d.name, 'package.json'))) dirs.push(`${base}/${d.name}`);
      }
    } else if (existsSync(join(root, g, 'package.json'))) dirs.push(g);
  }
  return dirs;
}
const readPkg = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

// ---- 1. changeset version on a copy ------------------------------------------------------------
console.log('changeset version (on a copy of the manifests)');
const tmp = mkdtempSync(join(tmpdir(), 'spectrans-release-'));
try {
  for (const f of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(root, f), join(tmp, f));
  cpSync(join(root, '.changeset'), join(tmp, '.changeset'), { recursive: true });
  const dirs = workspaceDirs();
  for (const d of dirs) {
    mkdirSync(join(tmp, d), { recursive: true });
    cpSync(join(root, d, 'package.json'), join(tmp, d, 'package.json'));
  }
  const pending = readdirSync(join(tmp, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  const before = Object.fromEntries(dirs.map((d) => [d, readPkg(join(tmp, d))]));
  const config = JSON.parse(readFileSync(join(tmp, '.changeset', 'config.json'), 'utf8'));
  check(JSON.stringify(config.fixed) === JSON.stringify([['@spectrans/*']]), 'the fixed group is [["@spectrans/*"]]');
  if (pending.length === 0) {
    console.log('  (no pending changesets: nothing to version)');
  } else {
    // changesets wants a git repository (it looks up the commits that added each changeset).
    run('git', ['init', '-q'], { cwd: tmp });
    run('git', ['add', '-A'], { cwd: tmp });
    run(
      'git',
      ['-c', 'user.name=release-check', '-c', 'user.email=release-check@localhost', 'commit', '-qm', 'snapshot'],
      { cwd: tmp },
    );
    const v = run(join(root, 'node_modules', '.bin', 'changeset'), ['version'], { cwd: tmp });
    check(v.status === 0, `changeset version exits 0 (${pending.length} pending changeset(s))`, v.out);
    const after = Object.fromEntries(dirs.map((d) => [d, readPkg(join(tmp, d))]));
    const group = dirs.filter((d) => before[d].name?.startsWith('@spectrans/') && !before[d].private);
    const versions = new Set(group.map((d) => after[d].version));
    check(
      versions.size === 1,
      `one version for the fixed group: ${group.map((d) => `${after[d].name}@${after[d].version}`).join(', ')}`,
    );
    const [next] = versions;
    check(
      group.every((d) => after[d].version !== before[d].version),
      `every fixed-group package moved (${before[group[0]].version} -> ${next})`,
    );
    const priv = dirs.filter((d) => before[d].private);
    check(
      priv.every((d) => after[d].version === before[d].version),
      'private packages keep their version',
    );
    for (const d of group) {
      for (const field of ['dependencies', 'peerDependencies', 'devDependencies']) {
        for (const [k, range] of Object.entries(after[d][field] ?? {})) {
          if (!k.startsWith('@spectrans/')) continue;
          const ok = range.startsWith('workspace:') || range === `^${next}`;
          check(
            ok,
            `${after[d].name} ${field}.${k} = ${range}`,
            `a ${field} range on the group must stay workspace:^ (pnpm writes ^${next} on pack)`,
          );
        }
      }
      check(existsSync(join(tmp, d, 'CHANGELOG.md')), `${after[d].name}: CHANGELOG.md written`);
    }
    const left = readdirSync(join(tmp, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    check(left.length === 0, 'the pending changesets were consumed', left.join(', '));
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// ---- 2. publish --dry-run -------------------------------------------------------------------------
console.log('pnpm -r publish --dry-run (public packages)');
const filters = ['./packages/*', './conformance'].flatMap((f) => ['--filter', f]);
// From a clean environment: run as a pnpm script, this process inherits npm_config_* variables of
// pnpm's own settings, which the npm that pnpm publish calls would warn about.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
const p = run('pnpm', ['-r', ...filters, 'publish', '--dry-run', '--no-git-checks'], { cwd: root, env: cleanEnv });
// Not the project's: settings in the user's own ~/.npmrc, and npm reminding that a real publish
// needs a login (this is a dry run).
const ALLOWED = [
  /npm warn Unknown user config/,
  /npm warn publish This command requires you to be logged in .*\(dry-run\)/,
];
const problems = p.out
  .split('\n')
  .filter((l) => /\b(WARN|ERR!?|error)\b/i.test(l) && !/^npm notice/.test(l) && !ALLOWED.some((a) => a.test(l)));
check(p.status === 0, 'pnpm -r publish --dry-run exits 0', p.out.slice(-4000));
check(problems.length === 0, 'no warnings or errors in its output', problems.join('\n'));
const published = [...p.out.matchAll(/\+ (@spectrans\/[a-z-]+)@(\S+)/g)].map((m) => `${m[1]}@${m[2]}`);
console.log(`  would publish: ${published.join(', ') || '(none listed)'}`);

console.log(failures === 0 ? 'release check passed' : `release check: ${failures} failure(s)`);
process.exit(failures === 0 ? 0 : 1);
