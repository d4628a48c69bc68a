/**
 * Reading a zip archive (PKWARE APPNOTE 6.3.10) from memory: the central directory gives each entry's method and
 * sizes, the local header gives where its data starts. Entries are inflated one at a time through `inflate`, so
 * their output is bounded like any other; the archive itself is bounded by `maxZipBytes` before it gets here.
 * Refused: encryption, methods other than stored (0) and deflate (8), entries that overlap or point outside the
 * archive (the overlapping-entry zip bomb), and declared sizes over the limit (refused before inflating anything).
 */
import type { Budget } from './limits.ts';
import { ReportRefusal } from './refusal.ts';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** The compressed bytes (a view into the archive). */
  readonly data: Buffer;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function corrupt(detail: string): never {
  throw new ReportRefusal('corrupt_archive', `zip: ${detail}`);
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // APPNOTE §4.3.16: 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  const floor = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= floor; i--) {
    if (zip.readUInt32LE(i) === EOCD) return i;
  }
  return corrupt('no end of central directory (the file is truncated or not a zip)');
}

interface Directory {
  readonly count: number;
  readonly offset: number;
}

function readDirectory(zip: Buffer): Directory {
  const end = findEndOfCentralDirectory(zip);
  let count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  // APPNOTE §4.3.14-15: Zip64 keeps the real values in its own end record, found through a locator.
  const locator = end - 20;
  if (
    (count === 0xffff || offset === 0xffffffff) &&
    locator >= 0 &&
    zip.readUInt32LE(locator) === EOCD64_LOCATOR
  ) {
    const at = Number(zip.readBigUInt64LE(locator + 8));
    if (at + 56 > zip.length || zip.readUInt32LE(at) !== EOCD64) corrupt('bad zip64 end record');
    count = Number(zip.readBigUInt64LE(at + 32));
    offset = Number(zip.readBigUInt64LE(at + 48));
  }
  if (offset > end) corrupt('the central directory lies outside the file');
  return { count, offset };
}

/** APPNOTE §4.5.3: the zip64 extra field holds the sizes (and offset) whose 32-bit fields are all ones. */
function zip64Values(extra: Buffer, wanted: { usize: boolean; csize: boolean; offset: boolean }) {
  const out: { usize?: number; csize?: number; offset?: number } = {};
  for (let i = 0; i + 4 <= extra.length;) {
    const id = extra.readUInt16LE(i);
    const size = extra.readUInt16LE(i + 2);
    if (id === 0x0001) {
      let at = i + 4;
      const next = () => {
        if (at + 8 > i + 4 + size) corrupt('short zip64 extra field');
        const v = Number(extra.readBigUInt64LE(at));
        at += 8;
        return v;
      };
      if (wanted.usize) out.usize = next();
      if (wanted.csize) out.csize = next();
      if (wanted.offset) out.offset = next();
      return out;
    }
    i += 4 + size;
  }
  return out;
}

/** The file entries of `zip`, in directory order; directories are skipped. */
export function readZipEntries(zip: Buffer, budget: Budget): ZipEntry[] {
  const { count, offset } = readDirectory(zip);
  const entries: ZipEntry[] = [];
  const used: Array<[number, number]> = [];
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) corrupt('bad central directory entry');
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    let csize = zip.readUInt32LE(at + 20);
    let usize = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    let localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, Math.min(zip.length, at + 46 + nameLength));
    const extra = zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    const big = zip64Values(extra, {
      usize: usize === 0xffffffff,
      csize: csize === 0xffffffff,
      offset: localOffset === 0xffffffff,
    });
    usize = big.usize ?? usize;
    csize = big.csize ?? csize;
    localOffset = big.offset ?? localOffset;
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    budget.addPart();
    if ((flags & 1) !== 0) throw new ReportRefusal('unsupported_archive', `zip entry ${name} is encrypted`);
    if (method !== 0 && method !== 8) {
      throw new ReportRefusal('unsupported_archive', `zip entry ${name} uses compression method ${method}`);
    }
    if (usize > budget.limits.maxDecompressedBytes - budget.decompressedBytes) {
      throw new ReportRefusal('too_large', `zip entry ${name} declares ${usize} bytes uncompressed`);
    }
    if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL)
      corrupt(`no local header for ${name}`);
    const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const stop = start + csize;
    if (stop > zip.length) corrupt(`entry ${name} runs past the end of the archive`);
    if (used.some(([a, b]) => start < b && a < stop)) {
      throw new ReportRefusal('corrupt_archive', `zip entries overlap (${name}): a zip bomb construction`);
    }
    used.push([start, stop]);
    entries.push({
      name,
      method,
      compressedSize: csize,
      uncompressedSize: usize,
      data: zip.subarray(start, stop),
    });
  }
  return entries;
}
