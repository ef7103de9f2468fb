#!/usr/bin/env node
// Runs a command with an X display: as is where one exists (or off Linux), else under `xvfb-run -a`
// when it is installed, so headless WebGL (gpu.js's headlessgl mode) is exercised on servers too.
// Without a display and without xvfb-run the command still runs; headlessgl then reports itself
// unavailable with the reason.
import { spawnSync } from 'node:child_process';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: with-display <command> [args...]');
  process.exit(2);
}
const hasXvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
const wrap = process.platform === 'linux' && !process.env.DISPLAY && hasXvfb;
const [bin, ...args] = wrap ? ['xvfb-run', '-a', '-s', '-screen 0 1280x1024x24', ...command] : command;
if (!wrap && process.platform === 'linux' && !process.env.DISPLAY) {
  console.warn(
    'with-display: no DISPLAY and no xvfb-run: gpu.js headlessgl will be reported unavailable (apt-get install xvfb xauth)',
  );
}
const result = spawnSync(bin, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
