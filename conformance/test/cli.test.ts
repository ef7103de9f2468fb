/** The CLI: argument parsing, target modules (array or async function), unavailable columns, files, exit codes. */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseArgs } from '../src/cli-args.js';
import { main } from '../src/cli.js';
import { resolveTargets } from '../src/targets.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

function capture(): { io: { log: (s: string) => void; error: (s: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { log: (s) => out.push(s), error: (s) => err.push(s) }, out, err };
}

describe('spectrans-conformance', () => {
  test('parses modules and flags', () => {
    expect(
      parseArgs([
        'a.ts',
        '--json',
        'r.json',
        '--filter=ops/matmul',
        '--filter',
        'errors',
        '--html',
        'r.html',
        '--seed',
        '3',
        '--long-run-steps',
        '400',
        'pkg',
      ]),
    ).toEqual({
      modules: ['a.ts', 'pkg'],
      json: 'r.json',
      html: 'r.html',
      filters: ['ops/matmul', 'errors'],
      seed: 3,
      longRunSteps: 400,
      strict: false,
      help: false,
    });
    expect(parseArgs(['--', '--filter', 'ops', 'a.ts'])).toMatchObject({ modules: ['a.ts'], filters: ['ops'] });
    expect(() => parseArgs(['--nope'])).toThrow(/unknown option/);
    expect(() => parseArgs(['--json'])).toThrow(/needs a value/);
    for (const bad of ['100', '401', '1e9.5', 'x'])
      expect(() => parseArgs(['--long-run-steps', bad])).toThrow(/even integer of at least 200/);
  });

  test('runs target modules, shows unavailable ones as columns, writes JSON and HTML, exits 1 on failure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'conformance-'));
    const { io, out, err } = capture();
    const code = await main(
      [
        join(fixtures, 'targets-array.ts'),
        join(fixtures, 'targets-async.ts'),
        join(fixtures, 'missing-module.ts'),
        '--filter',
        'ops/cos',
        '--json',
        join(dir, 'r.json'),
        '--html',
        join(dir, 'r.html'),
      ],
      io,
    );
    expect(code).toBe(1); // broken-cos fails ops/cos/large-arguments
    const text = out.join('\n');
    expect(text).toMatch(/group\s+\|\s+fixture-js\s+\|\s+fixture-broken-cos\s+\|\s+fixture-down\s+\|\s+missing-module/);
    expect(text).toContain('unavailable: cannot start: no device');
    expect(text).toContain('FAIL ops/cos/large-arguments/float32');
    expect(err.join('\n')).toContain('missing-module: unavailable');
    const json = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as {
      targets: { name: string; status: string }[];
    };
    expect(json.targets.map((t) => [t.name, t.status])).toEqual([
      ['fixture-js', 'ok'],
      ['fixture-broken-cos', 'ok'],
      ['fixture-down', 'unavailable'],
      ['missing-module', 'unavailable'],
    ]);
    expect(await readFile(join(dir, 'r.html'), 'utf8')).toContain('<table>');
  });

  test('exits 0 when everything passes, 2 on usage errors; --strict fails on unavailable targets', async () => {
    const ok = capture();
    expect(await main([join(fixtures, 'targets-array.ts'), '--filter', 'ops/matmul/plain'], ok.io)).toBe(0);
    expect(ok.out.join('\n')).toMatch(/0 fail/);
    const strict = capture();
    expect(
      await main([join(fixtures, 'targets-async.ts'), '--filter', 'ops/matmul/plain', '--strict'], strict.io),
    ).toBe(1);
    expect(await main(['--bogus'], capture().io)).toBe(2);
  });

  test('with no modules it runs the js backend alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'conformance-'));
    const file = join(dir, 'r.json');
    const { io, out } = capture();
    await main(['--filter', 'ops/matmul/plain', '--json', file], io);
    const json = JSON.parse(await readFile(file, 'utf8')) as { targets: { name: string }[] };
    expect(json.targets.map((t) => t.name)).toEqual(['js']);
    expect(out.join('\n')).toContain('ops/matmul');
  });

  test('resolves package specifiers of ESM-only packages from the working directory', async () => {
    // A project installing a package this one cannot see, whose exports have only an `import` condition.
    const project = await mkdtemp(join(tmpdir(), 'conformance-project-'));
    const pkg = join(project, 'node_modules', '@acme', 'esm-only');
    await mkdir(pkg, { recursive: true });
    await writeFile(
      join(pkg, 'package.json'),
      JSON.stringify({
        name: '@acme/esm-only',
        type: 'module',
        exports: { './targets': { types: './t.d.ts', import: './targets.js' }, './package.json': './package.json' },
      }),
    );
    await writeFile(
      join(pkg, 'targets.js'),
      "export const conformanceTargets = [{ name: 'acme', create: () => { throw new Error('no device'); } }];\n",
    );
    const targets = await resolveTargets(
      ['@spectrans/conformance/js-targets', '@acme/esm-only/targets', '@acme/missing/targets'],
      project,
    );
    expect(targets.map((t) => [t.name, 'unavailable' in t])).toEqual([
      ['js', false],
      ['acme', false],
      ['@acme/missing/targets', true],
    ]);
  });
});
