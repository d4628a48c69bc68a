import { z } from 'zod';
import { duration } from './schema-fields.ts';

/** `alerts`: the periodic pass that raises alerts on change and sends the digests (docs/alerts.md). */
export const alertsSection = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe('Run the alert pass on this node (one node of a cluster at a time, by job lease).'),
    interval: duration('1h', 'How often alerts are looked for and due digests are sent.'),
  })
  .prefault({});
