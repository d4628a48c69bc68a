import type { TsigAlgorithm } from '../dns-wire/index.ts';

/**
 * The same TSIG key as each server writes it, for `senderd dns tsig-keygen`: senderd's own config (YAML),
 * NSD's nsd.conf, Knot's knot.conf and BIND's named.conf. Key names and base64 secrets need no quoting
 * beyond what is written here (a key name is a DNS name; base64 has no quote or backslash).
 */
export interface KeyStanzaInput {
  readonly name: string;
  readonly algorithm: TsigAlgorithm;
  /** The base64 secret, or null when it lives in `secretFile`. */
  readonly secret: string | null;
  readonly secretFile: string | null;
  /** The base64 secret, for the other servers' stanzas (which hold it inline). */
  readonly secretForOthers: string;
}

export interface KeyStanzas {
  readonly senderd: string;
  readonly nsd: string;
  readonly knot: string;
  readonly bind: string;
}

export function renderKeyStanzas(k: KeyStanzaInput): KeyStanzas {
  const where =
    k.secretFile !== null ? `secretFile: ${JSON.stringify(k.secretFile)}` : `secret: "${k.secret}"`;
  return {
    senderd: [
      'dns:',
      '  tsigKeys:',
      `    - name: ${k.name}`,
      `      algorithm: ${k.algorithm}`,
      `      ${where}`,
      '  secondaries:',
      '    - address: 192.0.2.53 # the secondary that uses this key',
      `      key: ${k.name}`,
    ].join('\n'),
    nsd: [
      'key:',
      `  name: "${k.name}"`,
      `  algorithm: ${k.algorithm}`,
      `  secret: "${k.secretForOthers}"`,
    ].join('\n'),
    knot: [
      'key:',
      `  - id: ${k.name}`,
      `    algorithm: ${k.algorithm}`,
      `    secret: ${k.secretForOthers}`,
    ].join('\n'),
    bind: `key "${k.name}" {\n\talgorithm ${k.algorithm};\n\tsecret "${k.secretForOthers}";\n};`,
  };
}
