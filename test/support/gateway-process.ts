/**
 * A senderd node with only the gateway component, as a child process: for the crash-safety test (which SIGKILLs
 * it) and the benchmark. `bin/senderd start` cannot be used for these yet, because no DKIM keys exist before the
 * dkim capability is merged; this script passes test keys in through the runtime instead.
 *
 *     node test/support/gateway-process.ts spec.json
 *
 * spec.json: { "cwd": dir, "flags": ["key=value", ...], "keys": [{ "domain", "selector", "algorithm", "pem" }] }
 * Prints one line `{"ready":true,"submission":port,"relay":port}` once listening; stops on SIGTERM. On SIGUSR2 it
 * prints a line `{"memory":…,"heapSpaces":[…]}`: process.memoryUsage() and V8's heap spaces.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import { resolveConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/core/index.ts';
import type { SigningKey, SigningKeySource } from '../../src/dkim/index.ts';
import { configRules, startNode } from '../../src/main.ts';
import { corpusPublicSuffixes } from './node.ts';

interface Spec {
  readonly cwd: string;
  readonly flags: string[];
  readonly keys: Array<{ domain: string; selector: string; algorithm: SigningKey['algorithm']; pem: string }>;
}

const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Spec;
const outcome = resolveConfig({ env: {}, cwd: spec.cwd, flags: spec.flags }, configRules);
if (!('config' in outcome)) {
  console.error(JSON.stringify(outcome.problems));
  process.exit(6);
}
const byDomain = new Map<string, SigningKey[]>();
spec.keys.forEach((k, i) => {
  const key: SigningKey = {
    selector: k.selector,
    algorithm: k.algorithm,
    privateKey: createPrivateKey(k.pem),
    keyId: `bench-${i}`,
  };
  byDomain.set(k.domain, [...(byDomain.get(k.domain) ?? []), key]);
});
const signingKeys: SigningKeySource = { keysFor: (d) => Promise.resolve(byDomain.get(d.name) ?? []) };
const log = createLogger({ level: 'warn', format: 'json', destination: process.stderr });
const node = await startNode(outcome.config, log, { signingKeys, publicSuffixes: corpusPublicSuffixes() });
const port = (name: string) =>
  Number(/:(\d+)$/.exec(node.components.find((c) => c.name === name)?.address ?? '')?.[1] ?? 0);
process.stdout.write(
  JSON.stringify({ ready: true, submission: port('gateway'), relay: port('gateway-relay') }) + '\n',
);
// The memory benchmark asks where the memory is (V8's spaces, Buffers): one JSON line on stdout per SIGUSR2.
process.on('SIGUSR2', () => {
  const heapSpaces = getHeapSpaceStatistics().map((s) => ({
    name: s.space_name,
    size: s.space_size,
    used: s.space_used_size,
    physical: s.physical_space_size,
  }));
  process.stdout.write(JSON.stringify({ memory: process.memoryUsage(), heapSpaces }) + '\n');
});
process.once('SIGTERM', () => {
  void node.stop().then(() => process.exit(0));
});
