/** X.509 and PKCS#10 encoding that senderd does itself (DER, PEM, certification requests). */
export { oid, pem, seq, set, tlv } from './der.ts';
export { certificationRequest } from './certification-request.ts';
