/**
 * Values that pass the schema yet cannot work on a real installation: the defaults and examples. A zone under a
 * name reserved for documentation can never be delegated, and an address from a loopback, private or
 * documentation range never sends or receives mail on the Internet. `config check` says so as warnings (the
 * configuration is still valid: a test machine runs on exactly these values).
 */
import { specialPurposeReason } from '../ip/index.ts';
import type { Config } from './schema.ts';

export interface ConfigWarning {
  readonly path: string;
  readonly message: string;
}

/**
 * Names no one can register or delegate: RFC 2606 §2 (the TLDs test, example, invalid, localhost) and §3
 * (example.com, example.net, example.org); RFC 6761 §6 repeats them as special-use; RFC 6762 §3 adds local.
 */
const RESERVED_NAMES = [
  'test',
  'example',
  'invalid',
  'localhost',
  'local',
  'example.com',
  'example.net',
  'example.org',
];

function reservedName(name: string): string | null {
  return RESERVED_NAMES.find((r) => name === r || name.endsWith(`.${r}`)) ?? null;
}

/** The address of an address or CIDR range, judged by where it points. */
const addressOf = (value: string) => value.split('/')[0] ?? value;

export function placeholderWarnings(config: Config): ConfigWarning[] {
  const p = config.platform;
  const warnings: ConfigWarning[] = [];
  const reserved = reservedName(p.zone);
  if (reserved !== null)
    warnings.push({
      path: 'platform.zone',
      message: `${p.zone} is under ${reserved}, a name reserved for examples (RFC 2606): nobody can delegate it to senderd, so no hosted record will ever be found. Set the zone you will delegate (NS records at its parent).`,
    });
  for (const value of p.egressIps) {
    const reason = specialPurposeReason(addressOf(value));
    if (reason !== null)
      warnings.push({
        path: 'platform.egressIps',
        message: `${value} (${reason}) is published in spf.${p.zone} as a sending address, but receivers never see mail from it. List the public addresses the gateway sends from.`,
      });
  }
  for (const [label, addresses] of Object.entries(p.hostAddresses)) {
    for (const address of addresses) {
      const reason = specialPurposeReason(address);
      if (reason !== null)
        warnings.push({
          path: `platform.hostAddresses.${label}`,
          message: `${label}.${p.zone} is published as ${address} (${reason}): nobody on the Internet can reach it there. Give its public address.`,
        });
    }
  }
  return warnings;
}
