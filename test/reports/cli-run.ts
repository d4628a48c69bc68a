/** `senderd` in-process, on a test data directory, with its output captured: for the reports CLI tests. */
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/program.ts';
import { CORPUS } from '../support/node.ts';

export function cli(dir: string) {
  const flags = [
    '-s',
    `dataDir=${dir}`,
    '-s',
    `domains.publicSuffixList=${new URL('psl/public_suffix_list.dat', CORPUS).pathname}`,
    '-s',
    'reports.reverseDns.enabled=false',
  ];
  return async (...argv: string[]) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await runCli([...flags, ...argv], {
      env: {},
      cwd: dir,
      stdout,
      stderr,
      stopSignal: new Promise(() => undefined),
    });
    return { code, out, err };
  };
}
