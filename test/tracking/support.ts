/**
 * What the tracking tests share: a key ring, the decoded bodies of a message's parts (read back with the mail
 * floor's MIME parser), and undoing a rewrite (each replacement put back to its original bytes), which must give
 * the original part byte for byte.
 */
import assert from 'node:assert/strict';
import { MimeParser } from '../../src/mail/index.ts';
import {
  verifyLinkToken,
  type LinkTokenKeys,
  type RewriteOptions,
  type RewriteResult,
} from '../../src/tracking/index.ts';

export const KEYS: LinkTokenKeys = {
  current: { id: 2, secret: Buffer.alloc(32, 0x5a) },
  previous: [{ id: 1, secret: Buffer.alloc(32, 0x17) }],
};

export const OPTIONS: RewriteOptions = {
  clickHost: 'clicks.example.com',
  keys: KEYS,
  messageId: 'm-000123',
  recipientId: 'r-42',
};

export interface DecodedPart {
  readonly id: string;
  readonly mediaType: string;
  readonly transferEncoding: string;
  /** Decoded body, latin1 (one character per byte). */
  readonly body: string;
  /** The raw (encoded) body bytes, latin1. */
  readonly raw: string;
}

/** Every leaf part of `message`, decoded. */
export function decodeParts(message: Buffer): DecodedPart[] {
  const parser = new MimeParser({ maxHeaderBytes: 1 << 20, maxDepth: 32 });
  const data = new Map<string, Buffer[]>();
  const parts: DecodedPart[] = [];
  for (const event of [...parser.write(message), ...parser.end()]) {
    assert.notEqual(event.type, 'stopped');
    if (event.type === 'data') {
      const list = data.get(event.entity.id) ?? [];
      list.push(event.data);
      data.set(event.entity.id, list);
    } else if (event.type === 'end' && event.entity.kind === 'leaf') {
      parts.push({
        id: event.entity.id,
        mediaType: event.entity.type.mediaType,
        transferEncoding: event.entity.transferEncoding,
        body: Buffer.concat(data.get(event.entity.id) ?? []).toString('latin1'),
        raw: message.subarray(event.entity.bodyStart, event.bodyEnd).toString('latin1'),
      });
    }
  }
  return parts;
}

/**
 * Checks a rewrite: each part's rewritten body, with every replacement put back to its original bytes, is the
 * original body exactly; every click token verifies to its URL; returns the URLs rewritten, in order.
 */
export function checkRewrite(original: Buffer, result: RewriteResult): string[] {
  const before = new Map(decodeParts(original).map((p) => [p.id, p]));
  const after = new Map(decodeParts(result.message).map((p) => [p.id, p]));
  assert.deepEqual([...after.keys()], [...before.keys()], 'the same parts');
  const urls: string[] = [];
  const rewrittenIds = new Set(result.parts.map((p) => p.partId));
  for (const part of result.parts) {
    const now = after.get(part.partId)!.body;
    let undone = '';
    let at = 0;
    let shift = 0;
    for (const edit of part.edits) {
      const start = edit.start + shift;
      assert.equal(now.slice(start, start + edit.replacement.length), edit.replacement);
      undone += now.slice(at, start) + edit.original;
      at = start + edit.replacement.length;
      shift += edit.replacement.length - (edit.end - edit.start);
      if (edit.url !== null) {
        const token = /\/c\/([A-Za-z0-9_-]+)$/.exec(edit.replacement)![1]!;
        const verified = verifyLinkToken(KEYS, token);
        assert.ok(verified.ok, `token of ${edit.url} verifies`);
        assert.equal(verified.value.url, edit.url);
        assert.equal(verified.value.linkIndex, edit.linkIndex);
        urls.push(edit.url);
      }
    }
    undone += now.slice(at);
    assert.equal(undone, before.get(part.partId)!.body, `part ${part.partId} undoes to its original bytes`);
  }
  for (const [id, part] of after) {
    if (!rewrittenIds.has(id)) assert.equal(part.raw, before.get(id)!.raw, `part ${id} untouched`);
    else assertLineLengths(part);
  }
  return urls;
}

/** RFC 2045 §6.7, §6.8: encoded lines of at most 76 characters. */
function assertLineLengths(part: DecodedPart): void {
  if (part.transferEncoding !== 'base64' && part.transferEncoding !== 'quoted-printable') return;
  for (const line of part.raw.split(/\r?\n/))
    assert.ok(line.length <= 76, `a ${part.transferEncoding} line of ${line.length}: ${line.slice(0, 40)}`);
}

/** A message of one part (or of the body and headers given). */
export function message(headers: string, body: string, eol = '\r\n'): Buffer {
  return Buffer.from((headers.trim() + '\n\n' + body).replace(/\r?\n/g, eol), 'utf8');
}
