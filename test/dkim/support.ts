/** Test support for the dkim capability: a key pool, a scriptable visibility probe, DKIM records from a plan. */
import { generateKeyPairSync } from 'node:crypto';
import type { KeyGenerator, KeyMaterial, KeyVisibilityProbe, Visibility } from '../../src/dkim/index.ts';
import type { RecordPlan } from '../../src/domains/index.ts';

/**
 * Hands out pre-generated keys round-robin, so a simulation with a thousand keys does not spend minutes in RSA
 * key generation. The key material is real: signatures made with it verify.
 */
export function keyPool(size: number): KeyGenerator & { readonly handedOut: () => number } {
  const rsa: KeyMaterial[] = [];
  const ed: KeyMaterial[] = [];
  for (let i = 0; i < size; i++) {
    rsa.push({ algorithm: 'rsa', bits: 2048, ...generateKeyPairSync('rsa', { modulusLength: 2048 }) });
    ed.push({ algorithm: 'ed25519', bits: 256, ...generateKeyPairSync('ed25519') });
  }
  let n = 0;
  return {
    generate(algorithm) {
      const pool = algorithm === 'rsa' ? rsa : ed;
      return Promise.resolve(pool[n++ % size]!);
    },
    handedOut: () => n,
  };
}

/** A probe whose answer the test decides: by default everything is visible. */
export function scriptedProbe(
  decide: (domain: string, selector: string, publicKey: string) => boolean = () => true,
): KeyVisibilityProbe & { readonly calls: Array<{ domain: string; selector: string }> } {
  const calls: Array<{ domain: string; selector: string }> = [];
  return {
    calls,
    check(domain, selector, publicKey): Promise<Visibility> {
      calls.push({ domain, selector });
      return Promise.resolve(
        decide(domain, selector, publicKey) ? { status: 'visible' } : { status: 'absent', detail: 'not yet' },
      );
    },
  };
}

/** The DKIM TXT records of a plan's hosted part, as sorted (name, text) pairs. */
export function hostedDkimRecords(plan: RecordPlan): Array<{ name: string; text: string }> {
  return plan.hosted
    .filter((r) => r.purpose === 'dkim' && r.data.type === 'TXT')
    .map((r) => ({ name: r.name, text: r.data.type === 'TXT' ? r.data.text : '' }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
