/**
 * npm run bench:tracking — link rewriting throughput on a 100 KB newsletter, and its ratio to a bare pass of
 * htmlparser2's tokenizer (no-op callbacks) over the same bytes in the same run (targets: ≥ 50 MB/s, ≥ 0.5×).
 *
 * The newsletter is a table layout built from blocks like the corpus's (about one link per 700 bytes, a VML
 * button in a conditional comment, entity-encoded query strings). It is measured as an 8bit part (the headline:
 * same bytes as the bare pass) and as quoted-printable (decode, rewrite, encode again). Both passes take bytes:
 * the bare pass turns them into the string the tokenizer needs, as the rewriter does. Other work on the machine
 * moves every figure, so the passes alternate over BENCH_ROUNDS rounds of BENCH_SECONDS each and medians are
 * reported, with the load average.
 *
 * A newsletter goes to many recipients: the rewriter parses the message and seals its links once (prepareRewrite)
 * and then splices each recipient's tokens in (`copy`). "One copy" is both (rewriteMessage: a message to one
 * recipient, the headline and the target); "each further copy" is `copy` alone on a prepared template, what every
 * other recipient of the same message costs. It also prints the links sealed per second (one HMAC-SHA256 each,
 * once per message) and the whole copy's token step per recipient.
 *
 * Environment: BENCH_SECONDS (2), BENCH_ROUNDS (5).
 */
import { readFileSync } from 'node:fs';
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
import { encodeQuotedPrintable } from '../../src/mail/index.ts';
import { prepareRewrite, rewriteMessage, type RewriteOptions } from '../../src/tracking/index.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const OPTIONS: RewriteOptions = {
  clickHost: 'clicks.example.com',
  keys: { current: { id: 1, secret: Buffer.alloc(32, 7) } },
  messageId: 'bench-message-0001',
  recipientId: 'r-000042',
  openPixel: true,
};

function newsletter(size: number): Buffer {
  const head =
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Weekly</title><style>td{font-family:Arial}' +
    '.btn{background:#d62828}</style></head><body style="margin:0">\r\n<table width="100%" role="presentation">\r\n';
  const block = (i: number): string =>
    `<tr><td class="col" style="padding:10px 20px;font-size:14px;line-height:20px;color:#333333">\r\n` +
    `<h2 style="margin:0 0 8px 0">Story ${i}: Grüße from the newsroom</h2>\r\n` +
    `<p style="margin:0 0 12px 0">Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor ` +
    `incididunt ut labore et dolore magna aliqua. <a href="https://blog.example.com/2026/12/story-${i}?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=weekly" style="color:#0066cc">Read more</a></p>\r\n` +
    `<!--[if mso]><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https://shop.example.com/item/${i}" style="height:40px;width:200px" arcsize="10%" fillcolor="#d62828"><center>Buy</center></v:roundrect><![endif]-->\r\n` +
    `<a class="btn" href="https://shop.example.com/item/${i}" style="display:inline-block;color:#ffffff;padding:10px 20px;mso-hide:all">Buy now</a>\r\n` +
    `<img src="https://cdn.example.com/img/${i}.jpg" width="560" alt="Story ${i}" style="display:block;border:0">\r\n` +
    `</td></tr>\r\n`;
  const foot =
    '<tr><td><a href="mailto:news@example.com">Reply</a> | <a href="https://www.example.com/unsubscribe?u=1">Unsubscribe</a>' +
    '</td></tr></table>\r\n</body></html>\r\n';
  let html = head;
  for (let i = 0; Buffer.byteLength(html + foot) < size; i++) html += block(i);
  return Buffer.from(html + foot);
}

const NOOP = (): void => {};
const CALLBACKS: TokenizerCallbacks = {
  onattribdata: NOOP,
  onattribentity: NOOP,
  onattribend: NOOP,
  onattribname: NOOP,
  oncdata: NOOP,
  onclosetag: NOOP,
  oncomment: NOOP,
  ondeclaration: NOOP,
  onend: NOOP,
  onopentagend: NOOP,
  onopentagname: NOOP,
  onprocessinginstruction: NOOP,
  onselfclosingtag: NOOP,
  ontext: NOOP,
  ontextentity: NOOP,
};

function bareTokenizer(html: Buffer): void {
  const tokenizer = new Tokenizer({ decodeEntities: false }, CALLBACKS);
  tokenizer.write(html.toString('latin1'));
  tokenizer.end();
}

/** MB/s (10^6 bytes) of `bytes` over as many runs as fit in SECONDS. */
function rate(bytes: number, run: () => void): number {
  const start = performance.now();
  let runs = 0;
  while (performance.now() - start < SECONDS * 1000) {
    run();
    runs++;
  }
  return (bytes * runs) / ((performance.now() - start) / 1000) / 1e6;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function main(): void {
  const html = newsletter(100 * 1024);
  const header = 'From: news@example.com\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n';
  const eightBit = Buffer.concat([Buffer.from(header + 'Content-Transfer-Encoding: 8bit\r\n\r\n'), html]);
  const qp = Buffer.from(
    header + 'Content-Transfer-Encoding: quoted-printable\r\n\r\n' + encodeQuotedPrintable(html, '\r\n'),
  );
  const links = rewriteMessage(eightBit, OPTIONS).parts[0]!.edits.length;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(
    `tracking benchmark: ${(html.length / 1024).toFixed(0)} KiB newsletter, ${links} edits (links and pixel), ` +
      `${ROUNDS} rounds of ${SECONDS} s; load average ${load}`,
  );
  const bare: number[] = [];
  const rewrite: number[] = [];
  const rewriteQp: number[] = [];
  const copy: number[] = [];
  const copyQp: number[] = [];
  const prepares: number[] = [];
  const template = prepareRewrite(eightBit, OPTIONS);
  const templateQp = prepareRewrite(qp, OPTIONS);
  let recipient = 0;
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(rate(html.length, () => bareTokenizer(html)));
    rewrite.push(rate(html.length, () => rewriteMessage(eightBit, OPTIONS)));
    rewriteQp.push(rate(html.length, () => rewriteMessage(qp, OPTIONS)));
    copy.push(rate(html.length, () => template.copy(`r-${recipient++}`)));
    copyQp.push(rate(html.length, () => templateQp.copy(`r-${recipient++}`)));
    // Templates per second: rate() counts 1 "byte" per run, so MB/s × 10^6 is runs/s.
    prepares.push(rate(1, () => prepareRewrite(eightBit, OPTIONS)) * 1e6);
  }
  const b = median(bare);
  const r = median(rewrite);
  const q = median(rewriteQp);
  const c = median(copy);
  const cq = median(copyQp);
  const line = (label: string, x: number): string =>
    `${label.padEnd(44)}${x.toFixed(1).padStart(7)} MB/s  (${(x / b).toFixed(2)}× the bare pass)`;
  console.log(`bare htmlparser2 tokenizer pass:            ${b.toFixed(1).padStart(7)} MB/s`);
  console.log(line('rewrite, 8bit part, one copy:', r));
  console.log(line('rewrite, quoted-printable part, one copy:', q));
  console.log(line('each further copy, 8bit:', c));
  console.log(line('each further copy, quoted-printable:', cq));
  const perTemplate = 1000 / median(prepares);
  const perCopy = (html.length / c / 1e6) * 1000;
  console.log(
    `per message: ${perTemplate.toFixed(2)} ms to parse and seal ${links} links once, then ${perCopy.toFixed(3)} ms a copy`,
  );
  const pass = r >= 50 && r / b >= 0.5;
  console.log(`targets (8bit one copy ≥ 50 MB/s, ≥ 0.5× the bare pass): ${pass ? 'met' : 'NOT met'}`);
  const after = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`load average after: ${after}`);
}

main();
