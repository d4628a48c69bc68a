/** The gateway's pure checks, for the signer-only measurement (the gateway exports only its public surface). */
import { parseHeaderFields, type HeaderField } from '../../src/mail/index.ts';
import { inspectMessage, type InspectedMessage } from '../../src/gateway/message-bytes.ts';

export function inspectForBench(raw: Buffer): InspectedMessage {
  const r = inspectMessage(raw);
  if (!r.ok) throw new Error(r.error.text);
  return r.value;
}

export function parseHeaderFieldsForBench(header: string): HeaderField[] {
  const r = parseHeaderFields(header);
  if (!r.ok) throw new Error(`header line ${r.error.line}: ${r.error.problem}`);
  return r.value;
}
