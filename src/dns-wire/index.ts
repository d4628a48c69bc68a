/**
 * The DNS message on the wire, the one home of its rules for both sides: the numbers (types, classes, opcodes,
 * RCODEs, flags; RFC 1035 §3.2 and §4.1), names (RFC 1035 §3.1 and §4.1.4, hardened against pointer loops) and
 * TSIG (RFC 8945: keys, the record, signing and verifying). senderd's authoritative server (src/dns) and the
 * dynamic-update client (src/resolver) both sign and read messages with it. No sockets, no clock: the time is an
 * argument.
 */
export {
  CLASSIC_UDP_SIZE,
  Flag,
  HEADER_LENGTH,
  MAX_LABEL,
  MAX_NAME_WIRE,
  Opcode,
  RRClass,
  RRType,
  Rcode,
  rcodeName,
  typeName,
} from './wire-codes.ts';
export type { ServedType } from './wire-codes.ts';
export {
  ancestorsBelow,
  foldWire,
  isAtOrBelow,
  keyToName,
  labelsOf,
  nameKey,
  nameToWire,
  readName,
} from './wire-name.ts';
export type { ReadName } from './wire-name.ts';
export { isTsigAlgorithm, TSIG_ALGORITHMS } from './tsig-algorithm.ts';
export type { TsigAlgorithm, TsigKey } from './tsig-algorithm.ts';
export { generateTsigSecret, parseTsigKey } from './tsig-key.ts';
export { parseTsigKeyFile } from './tsig-key-file.ts';
export { encodeTsigRecord, locateTsig, parseTsigRecord, TsigError } from './tsig-record.ts';
export type { TsigPlace, TsigRecord } from './tsig-record.ts';
export {
  appendUnsignedTsig,
  badTimeOtherData,
  DEFAULT_FUDGE,
  signMessage,
  signMessages,
  signStream,
  StreamSigner,
  tsigRecordSize,
  verifyMessage,
} from './tsig.ts';
export type { Signed, SignOptions, TsigCheck, VerifyOptions } from './tsig.ts';
