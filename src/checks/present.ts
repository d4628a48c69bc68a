import type { ResourceData } from '../resolver/index.ts';

/**
 * Record data in zone-file presentation form (RFC 1035 §5.1): TXT as quoted character-strings, so that how a
 * value was split, and any stray quote inside it, is visible; non-printable bytes as \DDD.
 */
export function presentData(data: ResourceData): string {
  switch (data.type) {
    case 'A':
    case 'AAAA':
      return data.address;
    case 'CNAME':
    case 'DNAME':
    case 'NS':
    case 'PTR':
      return `${data.target}.`;
    case 'MX':
      return `${data.preference} ${data.exchange}.`;
    case 'TXT':
      return data.strings.map(quoteString).join(' ');
    case 'SOA':
      return `${data.mname}. ${data.rname}. ${data.serial}`;
    case 'OTHER':
      return `(${data.typeName})`;
  }
}

function quoteString(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b > 0x7e) out += `\\${String(b).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return out + '"';
}
