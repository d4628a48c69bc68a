import { Writable } from 'node:stream';
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/**
 * Key names whose values are never written to a log, at any depth we know of (STYLE.md: secrets are redacted at
 * the logger). Private keys are also kept out of log calls in the first place; this is the second line.
 */
const SECRET_KEYS = [
  'password',
  'passphrase',
  'privateKey',
  'privateKeyPem',
  'apiKey',
  'secret',
  'authorization',
  'cookie',
  'postgresUrl',
  'kek',
  'pem',
];
const REDACT = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers.${k}`]);

export interface LoggerOptions {
  readonly level: LevelWithSilent;
  readonly format: 'auto' | 'json' | 'pretty';
  /** Where lines go; standard output by default. Tests pass a collector. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const out = options.destination ?? process.stdout;
  const pretty =
    options.format === 'pretty' || (options.format === 'auto' && 'isTTY' in out && out.isTTY === true);
  return pino(
    {
      level: options.level,
      base: { service: 'senderd' },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pretty ? prettyStream(out) : out,
  );
}

/** A silent logger, for tests and one-shot CLI commands. */
export function quietLogger(): Logger {
  return pino({ level: 'silent' });
}

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
const OMIT = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'component']);

/** One readable line per record: `12:00:01 INFO  [http] request done status=200 ms=3`. */
function prettyStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        try {
          const rec = JSON.parse(line) as Record<string, unknown>;
          const time = typeof rec.time === 'string' ? rec.time.slice(11, 19) : '';
          const component = typeof rec.component === 'string' ? ` [${rec.component}]` : '';
          const fields = Object.entries(rec)
            .filter(([k]) => !OMIT.has(k))
            .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(' ');
          const level = LEVELS[Number(rec.level)] ?? 'LOG  ';
          const msg = typeof rec.msg === 'string' ? rec.msg : '';
          out.write(`${time} ${level}${component} ${msg}${fields ? ' ' + fields : ''}\n`);
        } catch {
          out.write(line + '\n');
        }
      }
      done();
    },
  });
}
