/**
 * node bench/edge/profile.ts [seconds] — a CPU profile of senderd's edge answering tracked clicks (`GET /c/<token>`,
 * as `npm run bench:clicks` sends them) for that long (default 10 s), written by `node --cpu-prof` into the
 * directory it prints. Open the .cpuprofile in Chrome DevTools, or list its heaviest functions with
 * `node bench/edge/profile-top.ts <file>`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../test/support/node.ts';
import { h2load } from './h2load.ts';
import { HOST, startSenderd, writeCertificate } from './servers.ts';

const seconds = Number(process.argv[2] ?? 10);
const out = join(process.cwd(), 'bench-profiles');
mkdirSync(out, { recursive: true });
const dir = tempDir('senderd-bench-profile-');
try {
  const files = writeCertificate(dir.path);
  const senderd = await startSenderd(dir.path, files, null, {
    ...process.env,
    NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${out}`,
  });
  try {
    const r = await h2load({
      port: senderd.port,
      host: HOST,
      clients: 32,
      cpu: null,
      seconds,
      ...(senderd.clickFile === undefined ? { path: senderd.clickPath } : { inputFile: senderd.clickFile }),
    });
    console.log(`${r.rate.toFixed(0)} req/s, ${r.succeeded} answered, ${r.redirects} redirects`);
  } finally {
    await senderd.child.stop();
  }
  console.log(`profile in ${out}`);
} finally {
  dir.remove();
}
