import { createTransport } from 'nodemailer';
import type { EmailTransport, WebhookTransport } from './delivery-worker.ts';

/** Webhooks over fetch, with a time limit; redirects are not followed (a signed body goes only where configured). */
export function fetchWebhookTransport(timeoutMs: number): WebhookTransport {
  return {
    async post(url, body, headers) {
      const response = await fetch(url, {
        method: 'POST',
        body,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      }).catch((error: unknown) => {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        throw new Error(`request failed: ${cause ?? (error as Error).name}`);
      });
      await response.body?.cancel();
      if (response.status < 200 || response.status > 299)
        throw new Error(`the receiver answered HTTP ${response.status}`);
    },
  };
}

export interface SmtpOptions {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user: string;
  readonly password: string;
  readonly from: string;
}

/** E-mail through the operator's SMTP server (nodemailer). */
export function smtpEmailTransport(options: SmtpOptions): EmailTransport {
  const transport = createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure,
    ...(options.user !== '' ? { auth: { user: options.user, pass: options.password } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      await transport.sendMail({
        from: options.from,
        to: [...message.to],
        subject: message.subject,
        text: message.text,
        headers: message.headers,
      });
    },
  };
}
