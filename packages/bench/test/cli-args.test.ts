/** The bench's argument parser, as the README's `pnpm --filter @spectrans/bench bench -- --only ...` calls it. */
import { describe, expect, test } from 'vitest';
import { parseArgs } from '../src/cli.js';

describe('pnpm bench arguments', () => {
  test('a leading `--` (what `pnpm … bench -- --only w4` passes on) is ignored', () => {
    // The README's example, as pnpm hands it to the script.
    expect(parseArgs(['--', '--only', 'w4', '--backends', 'js,tfjs-wasm', '--out', '/tmp/b'])).toEqual({
      quick: false,
      xvfb: true,
      help: false,
      only: ['w4'],
      backends: ['js', 'tfjs-wasm'],
      out: '/tmp/b',
    });
    expect(parseArgs(['--', '--quick'])).toMatchObject({ quick: true });
  });

  test('unknown arguments and bad lists are usage errors naming the flag', () => {
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown argument --bogus/);
    expect(() => parseArgs(['--only', 'w9'])).toThrow(/--only .*unknown: w9/);
    expect(() => parseArgs(['--backends'])).toThrow(/--backends takes/);
    expect(() => parseArgs(['--out', ''])).toThrow(/--out needs a directory/);
  });
});
