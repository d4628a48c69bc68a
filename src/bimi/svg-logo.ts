import { createHash } from 'node:crypto';
import { SaxesParser, type SaxesTagNS } from 'saxes';

/**
 * The BIMI logo check (pure): an SVG must be SVG Tiny Portable/Secure (the BIMI group's SVG Tiny PS profile, a
 * static subset of SVG Tiny 1.2) before senderd serves it and publishes `l=` to it. Strict XML through saxes, which
 * never processes a DTD; a document type declaration of any kind is refused, so no entity can expand and no
 * external entity can be fetched (XXE, billion laughs). Elements are checked against an allow-list of the static
 * Tiny 1.2 elements: no scripts, no animation, no interactivity, no foreign content, no raster images; every
 * reference must stay inside the document (`#id`), event attributes (`on*`) are refused, the root says
 * `baseProfile="tiny-ps"` and `version="1.2"`, has a `<title>`, no `x`/`y`, and a square viewBox.
 */

/** The BIMI group's guidance: a logo file of at most 32 KB. */
export const MAX_LOGO_BYTES = 32 * 1024;

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';

/** The static elements of SVG Tiny 1.2 that SVG Tiny PS keeps. */
const ALLOWED = new Set([
  'svg',
  'title',
  'desc',
  'metadata',
  'g',
  'defs',
  'use',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'textArea',
  'tbreak',
  'linearGradient',
  'radialGradient',
  'stop',
  'solidColor',
]);

/** Named, because a person should read why their logo was refused. */
const FORBIDDEN: Record<string, string> = {
  script: 'scripts are not allowed',
  handler: 'event handlers are not allowed',
  listener: 'event listeners are not allowed',
  foreignObject: 'foreign content is not allowed',
  image: 'embedded or linked images are not allowed: the logo must be vector only',
  a: 'links are not allowed',
  animate: 'animation is not allowed',
  animateColor: 'animation is not allowed',
  animateMotion: 'animation is not allowed',
  animateTransform: 'animation is not allowed',
  set: 'animation is not allowed',
  audio: 'media is not allowed',
  video: 'media is not allowed',
  iframe: 'foreign content is not allowed',
  style: 'style sheets are not allowed in SVG Tiny PS: use presentation attributes',
};

export type LogoCheck =
  | { readonly ok: true; readonly svg: string; readonly sha256: string; readonly bytes: number }
  | { readonly ok: false; readonly reason: LogoProblem; readonly message: string };

export type LogoProblem =
  | 'too_large'
  | 'not_utf8'
  | 'not_xml'
  | 'doctype'
  | 'not_svg'
  | 'profile'
  | 'forbidden_element'
  | 'forbidden_attribute'
  | 'external_reference'
  | 'no_title'
  | 'not_square';

class Refusal extends Error {
  readonly reason: LogoProblem;
  constructor(reason: LogoProblem, message: string) {
    super(message);
    this.reason = reason;
  }
}

export function checkLogo(bytes: Uint8Array): LogoCheck {
  if (bytes.length > MAX_LOGO_BYTES)
    return refuse('too_large', `The logo is ${bytes.length} bytes; at most ${MAX_LOGO_BYTES} are accepted.`);
  let svg: string;
  try {
    svg = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refuse('not_utf8', 'The logo is not UTF-8 text.');
  }
  try {
    inspect(svg);
  } catch (error) {
    if (error instanceof Refusal) return refuse(error.reason, error.message);
    return refuse('not_xml', `The logo is not well-formed XML: ${firstLine(error)}`);
  }
  return { ok: true, svg, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

function refuse(reason: LogoProblem, message: string): LogoCheck {
  return { ok: false, reason, message };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
}

function inspect(svg: string): void {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let depth = 0;
  let root: SaxesTagNS | null = null;
  let title = false;
  parser.on('doctype', () => {
    throw new Refusal(
      'doctype',
      'A document type declaration (<!DOCTYPE>) is not allowed: it could define entities (XXE).',
    );
  });
  parser.on('processinginstruction', (pi) => {
    throw new Refusal('forbidden_element', `The processing instruction <?${pi.target}?> is not allowed.`);
  });
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    depth++;
    if (depth > 64) throw new Refusal('not_xml', 'The logo nests elements more than 64 deep.');
    if (root === null) {
      root = tag;
      checkRoot(tag);
    }
    if (tag.uri !== SVG_NS)
      throw new Refusal(
        'forbidden_element',
        `<${tag.name}> is not an SVG element: foreign content is not allowed.`,
      );
    const name = tag.local;
    if (FORBIDDEN[name] !== undefined)
      throw new Refusal('forbidden_element', `<${name}>: ${FORBIDDEN[name]}.`);
    if (!ALLOWED.has(name)) throw new Refusal('forbidden_element', `<${name}> is not part of SVG Tiny PS.`);
    if (name === 'title' && depth === 2) title = true;
    for (const attribute of Object.values(tag.attributes)) checkAttribute(name, attribute);
  });
  parser.on('closetag', () => {
    depth--;
  });
  parser.write(svg).close();
  if (root === null) throw new Refusal('not_svg', 'The file holds no SVG element.');
  if (!title) throw new Refusal('no_title', 'The logo needs a <title> (the brand name) as a child of <svg>.');
}

function checkRoot(tag: SaxesTagNS): void {
  if (tag.local !== 'svg' || tag.uri !== SVG_NS)
    throw new Refusal('not_svg', `The root element is <${tag.name}>, not <svg> in the SVG namespace.`);
  const attr = (name: string) => tag.attributes[name]?.value;
  if (attr('baseProfile') !== 'tiny-ps')
    throw new Refusal(
      'profile',
      'The <svg> element must say baseProfile="tiny-ps" (SVG Tiny Portable/Secure).',
    );
  if (attr('version') !== '1.2') throw new Refusal('profile', 'The <svg> element must say version="1.2".');
  if (attr('x') !== undefined || attr('y') !== undefined)
    throw new Refusal('profile', 'The <svg> element must not have x or y attributes (SVG Tiny PS).');
  const viewBox = attr('viewBox');
  const box = viewBox
    ?.trim()
    .split(/[\s,]+/)
    .map(Number);
  if (box === undefined || box.length !== 4 || box.some((n) => !Number.isFinite(n)))
    throw new Refusal('not_square', 'The <svg> element needs a viewBox, and it must be square.');
  if (box[2]! <= 0 || box[2] !== box[3])
    throw new Refusal('not_square', `The logo must be square: its viewBox is ${box[2]} by ${box[3]}.`);
  const [w, h] = [attr('width'), attr('height')];
  if (w !== undefined && h !== undefined && w !== h)
    throw new Refusal('not_square', `The logo must be square: width ${w} and height ${h} differ.`);
}

function checkAttribute(
  element: string,
  a: { name: string; local: string; uri: string; value: string },
): void {
  if (/^on/i.test(a.local))
    throw new Refusal('forbidden_attribute', `<${element} ${a.name}>: event handlers are not allowed.`);
  const value = a.value.trim();
  const isHref = a.local === 'href' && (a.uri === XLINK_NS || a.uri === '');
  if (isHref && !value.startsWith('#'))
    throw new Refusal(
      'external_reference',
      `<${element} ${a.name}="${value.slice(0, 80)}">: only references inside the logo (#id) are allowed.`,
    );
  // url(...) in a presentation attribute or style may only name an element of the document itself.
  for (const m of value.matchAll(/url\(\s*['"]?([^'")\s]*)/gi))
    if (!m[1]!.startsWith('#'))
      throw new Refusal(
        'external_reference',
        `<${element} ${a.name}>: url(${m[1]!.slice(0, 80)}) is an external reference; only #id is allowed.`,
      );
  if (/javascript:|@import|expression\s*\(/i.test(value))
    throw new Refusal('forbidden_attribute', `<${element} ${a.name}>: scripts and imports are not allowed.`);
}
