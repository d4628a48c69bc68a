/** Independent DKIM verification with dkimpy (Debian's python3-dkim), every signature of a message. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, SYSTEM_PYTHON } from './tools.ts';

const SCRIPT = String.raw`
import dkim, json, re, sys
records = json.load(open(sys.argv[1]))
message = open(sys.argv[2], 'rb').read()
def dnsfunc(name, timeout=5):
    name = name.decode() if isinstance(name, bytes) else name
    return records.get(name.lower(), '').encode()
if len(sys.argv) > 3:
    # dkimpy's own parser refuses "Name : value" (RFC 5322 section 4.5 obs syntax): split the fields here, with
    # the WSP before the colon not part of the name, and let dkimpy canonicalise, select and verify as usual.
    head, body = message.split(b'\r\n\r\n', 1)
    fields = []
    for line in head.split(b'\r\n'):
        if line[:1] in (b' ', b'\t'):
            fields[-1][1] += line + b'\r\n'
        else:
            name, value = line.split(b':', 1)
            fields.append([name.rstrip(b' \t'), value + b'\r\n'])
    d = dkim.DKIM()
    d.headers, d.body = fields, body
else:
    d = dkim.DKIM(message)
count = len(re.findall(rb'(?mi)^dkim-signature:', message.split(b'\r\n\r\n', 1)[0]))
out = []
for i in range(count):
    try:
        ok = d.verify(idx=i, dnsfunc=dnsfunc)
        error = None
    except Exception as e:
        ok, error = False, repr(e)
    out.append({'ok': bool(ok), 'domain': (d.domain or b'').decode(), 'selector': (d.selector or b'').decode(), 'error': error})
print(json.dumps(out))
`;

export interface DkimpyResult {
  readonly ok: boolean;
  readonly domain: string;
  readonly selector: string;
  readonly error: string | null;
}

/** Verifies each DKIM-Signature of `message` with dkimpy, looking keys up in `recordsFile` (name. → TXT). */
export async function verifyWithDkimpy(
  message: Buffer,
  recordsFile: string,
  dir: string,
  /** Split the header fields for dkimpy, which cannot parse WSP before a colon (`Subject : hi`) itself. */
  options: { readonly obsoleteFieldNames?: boolean } = {},
): Promise<DkimpyResult[]> {
  const path = join(dir, `message-${Date.now()}-${Math.random().toString(36).slice(2)}.eml`);
  writeFileSync(path, message);
  const r = await run(SYSTEM_PYTHON, [
    '-c',
    SCRIPT,
    recordsFile,
    path,
    ...(options.obsoleteFieldNames ? ['obs'] : []),
  ]);
  if (r.code !== 0) throw new Error(`dkimpy failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as DkimpyResult[];
}
