import { z } from 'zod';
import { duration, label } from './schema-fields.ts';

/** `dkim`: the platform's key rotation defaults (a domain may override them) and the rotation scheduler. */
export const dkimSection = z
  .strictObject({
    rotationPeriod: duration(
      '30d',
      'How long a generated DKIM key signs before the next one takes over (monthly).',
    ),
    leadTime: duration(
      '3d',
      'How long a new key is published before it may sign; at least twice platform.ttl. It also waits until a resolver sees it.',
    ),
    overlap: duration(
      '2d',
      'How long the previous key keeps co-signing beside the new one (two signatures).',
    ),
    retention: duration(
      '7d',
      'How long a key stays published after its last signature, so mail still in transit verifies.',
    ),
    agingThreshold: duration(
      '180d',
      'When an imported (customer-supplied) key has signed this long, the tenant gets an aging event.',
    ),
    ed25519: z
      .boolean()
      .default(false)
      .describe('Sign with an Ed25519 key beside the RSA key (RFC 8463) unless a domain says otherwise.'),
    // Which sizes are allowed is the dkim capability's list (RSA_KEY_BITS); src/node-settings.ts checks it.
    rsaBits: z
      .number()
      .int()
      .default(2048)
      .describe('Modulus length of generated RSA keys (RFC 8301: at least 1024; 2048 recommended).'),
    ed25519Selectors: z
      .array(label)
      .length(3)
      .default(['ed1', 'ed2', 'ed3'])
      .describe('The three selectors of the Ed25519 series, for domains that enable it.'),
    scheduler: z.boolean().default(true).describe('Run the rotation scheduler on this node.'),
    checkInterval: duration('1m', 'How often the rotation scheduler looks at every domain.'),
  })
  .prefault({});
