import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { certificateSerial, selfSignedCertificate } from './tls-certificate.ts';

test('the serial is a positive INTEGER in minimal DER encoding, whatever the random bytes', () => {
  // The bytes that broke an earlier version: a first byte of 0x00 or 0x80 left a leading zero, which DER forbids
  // before a byte below 0x80 (X.690 §8.3.2), and OpenSSL refused the certificate ("illegal padding").
  for (const first of [0x00, 0x80, 0x7f, 0xff, 0x01]) {
    const serial = certificateSerial(Buffer.from([first, 0x05, 0xaa, 0x10]));
    assert.ok(serial[0]! >= 0x01 && serial[0]! <= 0x7f, `first byte ${serial[0]}`);
  }
});

test('generated certificates parse and cover the host name, localhost and the loopback addresses', () => {
  for (let i = 0; i < 50; i++) {
    const { cert } = selfSignedCertificate('mx.example.net', new Date('2026-11-22T00:00:00Z'));
    const x509 = new X509Certificate(cert);
    assert.equal(x509.checkHost('mx.example.net'), 'mx.example.net');
    assert.equal(x509.checkIP('127.0.0.1'), '127.0.0.1');
    assert.ok(!x509.ca);
  }
});
