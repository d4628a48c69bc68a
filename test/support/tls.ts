/** A self-signed certificate for test servers, made once per test process (the gateway's own generator). */
import { selfSignedCertificate } from '../../src/gateway/index.ts';

let made: { key: string; cert: string } | undefined;

export function selfSignedCertificateForTests(): { key: string; cert: string } {
  made ??= selfSignedCertificate('localhost', new Date());
  return made;
}
