/** The CLI: argument parsing, target modules (array or async function), unavailable columns, files, exit codes. */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseArgs } from '../src/cli-args.js';
import { main } from '../src/cli.js';
import { loadTargetModule, resolveTargets, TargetModuleError, type ModuleLoader } from '../src/targets.js';

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
      details: false,
      help: false,
    });
    expect(parseArgs(['--', '--filter', 'ops', 'a.ts'])).toMatchObject({ modules: ['a.ts'], filters: ['ops'] });
    expect(parseArgs(['--details', '--width', '80'])).toMatchObject({ details: true, width: 80 });
    expect(() => parseArgs(['--width', '20'])).toThrow(/--width must be an integer of at least 60/);
    expect(() => parseArgs(['--nope'])).toThrow(/unknown option/);
    expect(() => parseArgs(['--json'])).toThrow(/needs a value/);
    for (const bad of ['100', '401', '1e9.5', 'x'])
      expect(() => parseArgs(['--long-run-steps', bad])).toThrow(/even integer of at least 200/);
  });

  test('the documented `pnpm … -- --flag` forms: pnpm passes the `--` on, and it is skipped', () => {
    // Root README: `pnpm conformance -- --html FILE` / `-- --json FILE` (after the script's own modules).
    const modules = ['@spectrans/conformance/js-targets', '@spectrans/backend-tfjs/conformance-targets'];
    expect(parseArgs([...modules, '--', '--html', 'r.html'])).toMatchObject({ modules, html: 'r.html' });
    expect(parseArgs([...modules, '--', '--json', 'r.json'])).toMatchObject({ modules, json: 'r.json' });
    // conformance README: `pnpm --filter @spectrans/conformance run report -- --filter ops/matmul`.
    expect(parseArgs(['--', '--filter', 'ops/matmul'])).toMatchObject({ modules: [], filters: ['ops/matmul'] });
  });

  test('runs target modules, shows unavailable targets as columns, writes JSON and HTML, exits 1 on failure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'conformance-'));
    const { io, out, err } = capture();
    const code = await main(
      [
        join(fixtures, 'targets-array.ts'),
        join(fixtures, 'targets-async.ts'),
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
    expect(text).toMatch(/group\s+fixture-js\s+fixture-broken-cos\s+fixture-down\n/);
    expect(text).toMatch(/ops\/cos\s+\S+\s+FAIL 2\s+n\/a\n/);
    expect(text).toContain('unavailable: cannot start: no device');
    expect(text).toContain('FAIL ops/cos/large-arguments/float32');
    expect(err.join('\n')).toContain('fixture-down: unavailable');
    const json = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as {
      targets: { name: string; status: string }[];
    };
    expect(json.targets.map((t) => [t.name, t.status])).toEqual([
      ['fixture-js', 'ok'],
      ['fixture-broken-cos', 'ok'],
      ['fixture-down', 'unavailable'],
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
    const { targets, errors } = await resolveTargets(
      ['@spectrans/conformance/js-targets', '@acme/esm-only/targets', '@acme/missing/targets'],
      project,
    );
    expect(targets.map((t) => t.name)).toEqual(['js', 'acme']);
    expect(errors.map((e) => [e.code, e.message.split(':')[0]])).toEqual([
      ['ERR_TARGET_MODULE_NOT_FOUND', '@acme/missing/targets'],
    ]);
  });

  test('never passes silently: a module that cannot be loaded exits 2 before running anything', async () => {
    for (const [spec, code] of [
      ['./no-such-targets.js', 'ERR_TARGET_MODULE_NOT_FOUND'],
      ['@acme/not-installed/targets', 'ERR_TARGET_MODULE_NOT_FOUND'],
      [join(fixtures, 'targets-none.ts'), 'ERR_TARGET_MODULE_EXPORT'],
    ] as const) {
      const { io, out, err } = capture();
      expect(await main([join(fixtures, 'targets-array.ts'), spec, '--filter', 'ops/matmul/plain'], io)).toBe(2);
      expect(err.join('\n')).toContain(`spectrans-conformance: ${code}: ${spec}`);
      expect(err.join('\n')).toContain('could not be loaded; nothing was run');
      expect(out).toEqual([]);
    }
    const missing = capture();
    await main(['./no-such-targets.js'], missing.io);
    expect(missing.err.join('\n')).toMatch(/\.js, \.mjs or \.cjs files or package specifiers; \.ts, \.mts and \.cts/);
  });

  test('never passes silently: a --filter matching no case id exits 2, a run that checks nothing exits 1', async () => {
    const typo = capture();
    expect(await main(['--filter', 'ops/matmull'], typo.io)).toBe(2);
    expect(typo.err.join('\n')).toMatch(/ERR_NO_MATCHING_CASES: --filter ops\/matmull matches no case id/);
    expect(typo.out).toEqual([]);

    const down = capture();
    expect(await main([join(fixtures, 'targets-async.ts'), '--filter', 'ops/matmul/plain'], down.io)).toBe(1);
    expect(down.err.join('\n')).toContain('ERR_NOTHING_RAN: no case ran: every target was unavailable (fixture-down)');

    const skipped = capture();
    expect(await main([join(fixtures, 'targets-skip-all.ts'), '--filter', 'ops/matmul/plain'], skipped.io)).toBe(1);
    expect(skipped.err.join('\n')).toContain('ERR_NOTHING_RAN: no case ran: every selected case was skipped');
  });
});

describe('TypeScript target modules', () => {
  const unknownTs = (url: string): Error =>
    Object.assign(new TypeError(`Unknown file extension ".ts" for ${fileURLToPath(url.replace(/\?.*$/, ''))}`), {
      code: 'ERR_UNKNOWN_FILE_EXTENSION',
    });

  test('on a runtime without TypeScript, tsx is registered before a .ts file is imported, and only for one', async () => {
    const calls: string[] = [];
    const loader = (tsx: boolean): ModuleLoader => ({
      importUrl: async (url) => {
        calls.push(`import ${url.slice(url.lastIndexOf('/') + 1)}`);
        return (await import(url)) as Record<string, unknown>;
      },
      enableTypeScript: () => {
        calls.push('tsx');
        return Promise.resolve(tsx);
      },
      importsTypeScript: false,
    });
    const file = join(fixtures, 'targets-array.ts');
    expect((await loadTargetModule(file, process.cwd(), loader(true))).map((t) => t.name)).toEqual([
      'fixture-js',
      'fixture-broken-cos',
    ]);
    expect(calls).toEqual(['tsx', 'import targets-array.ts']);
    calls.length = 0;
    const error = (await loadTargetModule(file, process.cwd(), loader(false)).catch(
      (e: unknown) => e,
    )) as TargetModuleError;
    expect(error.code).toBe('ERR_TARGET_MODULE_TYPESCRIPT');
    expect(calls).toEqual(['tsx']); // nothing imported
    // A JavaScript module needs no tsx.
    const project = await mkdtemp(join(tmpdir(), 'conformance-js-'));
    await writeFile(join(project, 't.mjs'), "export const conformanceTargets = [{ name: 'm', create() {} }];\n");
    calls.length = 0;
    expect((await loadTargetModule('./t.mjs', project, loader(false))).map((t) => t.name)).toEqual(['m']);
    expect(calls).toEqual(['import t.mjs']);
  });

  test('on a Node without type stripping and without tsx: a coded error naming the supported file types', async () => {
    const imported: string[] = [];
    const loader: ModuleLoader = {
      importUrl: (url) => {
        imported.push(url);
        return Promise.reject(unknownTs(url));
      },
      enableTypeScript: () => Promise.resolve(false),
      importsTypeScript: true,
    };
    const error = await loadTargetModule(join(fixtures, 'targets-array.ts'), process.cwd(), loader).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TargetModuleError);
    expect((error as TargetModuleError).code).toBe('ERR_TARGET_MODULE_TYPESCRIPT');
    expect((error as Error).message).toMatch(/cannot import TypeScript by itself and tsx is not installed/);
    expect((error as Error).message).toMatch(/\.js, \.mjs or \.cjs files .*npm install --save-dev tsx/);
    expect(imported).toHaveLength(1);
  });

  test('with tsx installed: registers it and imports the file again under a fresh URL', async () => {
    const imported: string[] = [];
    let enabled = false;
    const loader: ModuleLoader = {
      importUrl: async (url) => {
        imported.push(url);
        if (!enabled) throw unknownTs(url);
        return (await import(url.replace(/\?.*$/, ''))) as Record<string, unknown>;
      },
      enableTypeScript: (dirs) => {
        expect(dirs).toEqual([process.cwd()]);
        enabled = true;
        return Promise.resolve(true);
      },
      importsTypeScript: true,
    };
    const targets = await loadTargetModule(join(fixtures, 'targets-array.ts'), process.cwd(), loader);
    expect(targets.map((t) => t.name)).toEqual(['fixture-js', 'fixture-broken-cos']);
    expect(imported[1]).toBe(`${imported[0]}?spectrans-conformance=tsx`);
  });

  test('other import errors are not mistaken for TypeScript', async () => {
    const loader: ModuleLoader = {
      importUrl: () => Promise.reject(new SyntaxError("Unexpected token '<'")),
      enableTypeScript: () => Promise.reject(new Error('not called')),
      importsTypeScript: true,
    };
    const error = (await loadTargetModule(join(fixtures, 'targets-array.ts'), process.cwd(), loader).catch(
      (e: unknown) => e,
    )) as TargetModuleError;
    expect([error.code, error.message]).toEqual([
      'ERR_TARGET_MODULE_LOAD',
      `${join(fixtures, 'targets-array.ts')}: cannot import it: Unexpected token '<'`,
    ]);
  });
});
