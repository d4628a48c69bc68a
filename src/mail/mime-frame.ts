/**
 * One open entity of the MIME parser's stack: its header as it is read, then what its body needs (the boundary of
 * a multipart, the decoder of a leaf), and the part numbers of its children.
 */
import type { MimeEntity } from './mime-entity.ts';
import type { BodyDecoder } from './transfer-encoding.ts';

export interface Frame {
  /** "" for the message itself, then "1", "1.2", ... */
  readonly id: string;
  readonly parent: Frame | null;
  /** The media type when the header names none (RFC 2046 §5.1.5: message/rfc822 inside multipart/digest). */
  readonly defaultType: string;
  readonly headerStart: number;
  state: 'headers' | 'body';
  header: string;
  entity: MimeEntity | null;
  boundary: string | null;
  closed: boolean;
  children: number;
  decoder: BodyDecoder | null;
  /** A leaf's last line break, held back until the next line is known not to be a boundary. */
  pendingEol: Buffer | null;
  /** The last piece of body was part of a long line: the next line cannot be a boundary. */
  midLine: boolean;
}

/** The message itself, whose header starts the input. */
export function rootFrame(): Frame {
  return newFrame('', null, 'text/plain', 0);
}

/** The next child of `parent` (a part of a multipart, or the message inside a message/rfc822), numbered on. */
export function childFrame(parent: Frame, defaultType: string, headerStart: number): Frame {
  const id = `${parent.id === '' ? '' : parent.id + '.'}${++parent.children}`;
  return newFrame(id, parent, defaultType, headerStart);
}

/**
 * RFC 2046 §5.1.1: whether a line is a delimiter of this multipart ("--" boundary) or its close ("--" boundary
 * "--"), with only white space (transport padding) after it; null when it is neither.
 */
export function delimiter(frame: Frame, line: string): 'part' | 'close' | null {
  if (frame.boundary === null || !line.startsWith(frame.boundary, 2)) return null;
  const rest = line.slice(2 + frame.boundary.length);
  const closing = rest.startsWith('--');
  if ((closing ? rest.slice(2) : rest).trim() !== '') return null;
  return closing ? 'close' : 'part';
}

function newFrame(id: string, parent: Frame | null, defaultType: string, headerStart: number): Frame {
  return {
    id,
    parent,
    defaultType,
    headerStart,
    state: 'headers',
    header: '',
    entity: null,
    boundary: null,
    closed: false,
    children: 0,
    decoder: null,
    pendingEol: null,
    midLine: false,
  };
}
