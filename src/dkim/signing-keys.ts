import { createPrivateKey } from 'node:crypto';
import { AppError, type Clock } from '../core/index.ts';
import { openSecret, type KekSource } from '../secrets/index.ts';
import { keyAad } from './key-publisher.ts';
import type { SigningDomain, SigningKeySource } from './message-signer.ts';
import type { PolicyBook } from './policy-book.ts';
import type { DkimKeyRepository } from './ports.ts';
import type { SigningKey } from './signer.ts';

/** A key that signs now, with the state that makes it sign. */
export interface ScheduledKey extends SigningKey {
  readonly state: 'active' | 'retiring';
}

/** The keys to sign a domain's mail with right now. */
export interface SigningSet {
  readonly domainId: string;
  /** Active keys first (RSA before Ed25519), then retiring co-signers inside their overlap window. */
  readonly keys: readonly ScheduledKey[];
  /** False when no key may sign: the gateway must hold the mail (4xx), never send it unsigned. */
  readonly usable: boolean;
}

interface CachedKey extends ScheduledKey {
  /** A retiring key stops co-signing at this instant (ms), even if the scheduler has not moved it yet. */
  readonly signUntil: number;
}

export interface SigningKeysDeps {
  readonly repo: DkimKeyRepository;
  readonly kek: KekSource;
  readonly policies: PolicyBook;
  readonly clock: Clock;
  /** How often to look at the change log for keys changed by other processes (default 1 s). */
  readonly pollMs?: number;
}

/**
 * The signer's key source. Decrypts each domain's signing keys once, keeps them as `KeyObject`s in memory, and
 * drops a domain's entry when its keys change: at once for changes made in this process (`invalidate`), and
 * within `pollMs` for changes made elsewhere (the `changes` log).
 */
export class SigningKeys implements SigningKeySource {
  readonly #deps: SigningKeysDeps;
  readonly #cache = new Map<string, Promise<CachedKey[]>>();
  #lastChangeId: number | undefined;
  #lastPoll = 0;
  #polling: Promise<void> | undefined;

  constructor(deps: SigningKeysDeps) {
    this.#deps = deps;
  }

  /** The keys to sign with for the domain, now. */
  async forDomain(domainId: string): Promise<SigningSet> {
    await this.#pollChanges();
    let entry = this.#cache.get(domainId);
    if (entry === undefined) {
      entry = this.#load(domainId);
      this.#cache.set(domainId, entry);
      entry.catch(() => this.#cache.delete(domainId));
    }
    const now = this.#deps.clock.now().getTime();
    const keys = (await entry).filter((k) => k.state === 'active' || now < k.signUntil);
    return { domainId, keys, usable: keys.some((k) => k.state === 'active') };
  }

  /** The keys that sign for the domain now; none unless an active key is among them (never a gap, DESIGN.md). */
  async keysFor(domain: SigningDomain): Promise<readonly SigningKey[]> {
    const set = await this.forDomain(domain.id);
    return set.usable ? set.keys : [];
  }

  invalidate(domainId: string): void {
    this.#cache.delete(domainId);
  }

  clear(): void {
    this.#cache.clear();
  }

  async #pollChanges(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastPoll < (this.#deps.pollMs ?? 1000)) return;
    this.#polling ??= (async () => {
      try {
        if (this.#lastChangeId === undefined) {
          // First look: nothing is cached yet; follow the log from its end.
          this.#lastChangeId = await this.#deps.repo.latestChangeId();
        } else {
          const changed = await this.#deps.repo.changedDomainsSince(this.#lastChangeId);
          for (const id of changed.domainIds) this.#cache.delete(id);
          this.#lastChangeId = changed.latest;
        }
        this.#lastPoll = now;
      } finally {
        this.#polling = undefined;
      }
    })();
    await this.#polling;
  }

  async #load(domainId: string): Promise<CachedKey[]> {
    const [keys, policy] = await Promise.all([
      this.#deps.repo.listInZoneByDomain(domainId),
      this.#deps.policies.forDomain(domainId),
    ]);
    const signing = keys
      .filter((k) => k.state === 'active' || k.state === 'retiring')
      .sort((a, b) => rank(a) - rank(b));
    const out: CachedKey[] = [];
    for (const k of signing) {
      const row = await this.#deps.repo.sealedKey(k.id);
      if (row === null) continue;
      const opened = openSecret(row.secret, keyAad(row), this.#deps.kek.keys());
      if (!opened.ok) {
        throw new AppError(
          'internal',
          opened.error === 'unknown_kek'
            ? `DKIM key ${k.id} is sealed under key-encryption key ${row.secret.kekId}, which the key file no longer holds.`
            : `DKIM key ${k.id} did not decrypt: its ciphertext does not belong to this record or was altered.`,
        );
      }
      const privateKey = createPrivateKey({ key: opened.value, format: 'der', type: 'pkcs8' });
      opened.value.fill(0);
      out.push({
        keyId: k.id,
        selector: k.selector,
        algorithm: k.algorithm === 'rsa' ? 'rsa-sha256' : 'ed25519-sha256',
        privateKey,
        state: k.state === 'active' ? 'active' : 'retiring',
        signUntil: k.state === 'retiring' ? Date.parse(k.retiringAt ?? '') + policy.overlapMs : Infinity,
      });
    }
    return out;
  }
}

function rank(k: { state: string; algorithm: string }): number {
  return (k.state === 'active' ? 0 : 2) + (k.algorithm === 'rsa' ? 0 : 1);
}
