import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures. The header is `Senderd-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`, where the MAC
 * is over `<t>.<raw body>` with the tenant's webhook secret. The timestamp inside the MAC lets a receiver
 * refuse replays older than a few minutes.
 */
export const SIGNATURE_HEADER = 'Senderd-Signature';

export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

/** For receivers (and tests): checks the MAC and the age. */
export function verifyWebhookSignature(
  header: string,
  body: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = new Map(
    header.split(',').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
  );
  const t = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !/^[0-9a-f]{64}$/.test(given))
    return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
