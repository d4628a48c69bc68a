import type { Command } from 'commander';
import type { DomainCheck, Grade, RecordCheck } from '../checks/index.ts';
import { resolveTenant, withServices } from './session.ts';
import { EXIT, writeLine, type CliIo, type GlobalOptions } from './io.ts';

/** `senderd check <domain>`: checks the DNS now and prints a table for people, or JSON with --json. */
export function registerCheck(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  program
    .command('check <domain>')
    .description("check a sender domain's DNS now: every planned record graded, with what to fix")
    .option('--tenant <name>', 'tenant')
    .option('--verbose', 'also show what every server answered')
    .action(async (name: string, flags: { tenant?: string; verbose?: boolean }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const check = await s.checks.checkNow(tenant.id, name);
        if (globals().json) writeLine(io.stdout, JSON.stringify(check, null, 2));
        else
          writeLine(
            io.stdout,
            formatCheck(check, { colour: useColour(io), verbose: flags.verbose === true }),
          );
        // Scripts and monitoring read the exit code: 9 when a record is in error, 10 when it could not be told now.
        if (check.grade === 'error') io.setOutcome?.(EXIT.checkFailed);
        else if (check.grade === 'temperror') io.setOutcome?.(EXIT.checkUndecided);
      });
    });
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColour(io: CliIo): boolean {
  const tty = 'isTTY' in io.stdout && io.stdout.isTTY === true;
  return tty && (io.env.NO_COLOR ?? '') === '';
}

const COLOUR: Record<Grade, string> = { perfect: '32', ok: '33', error: '31', temperror: '35' };
const MARK: Record<string, string> = { error: '✗', temperror: '?', warning: '!', note: '·' };

export function formatCheck(check: DomainCheck, options: { colour: boolean; verbose: boolean }): string {
  const paint = (code: string, text: string) => (options.colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const grade = (g: Grade) => paint(COLOUR[g], g.padEnd(9));
  const lines: string[] = [];
  lines.push(
    `${paint('1', check.domain)} (${check.mode})  ${grade(check.grade).trimEnd()}  verified: ${check.verification.verified ? 'yes' : 'not yet'}  (${check.stats.queries} queries, ${check.stats.ms} ms)`,
  );
  if (check.zone.apex !== null) {
    const ns = check.zone.nameservers
      .map((n) => `${n.name} (${n.address}) ${n.status}${n.serial == null ? '' : ` serial ${n.serial}`}`)
      .join(', ');
    lines.push(`zone ${check.zone.apex}: ${ns || 'no nameserver answered'}`);
  }
  for (const r of check.zone.remarks) lines.push(`  ${MARK[r.severity] ?? ''} ${r.code}: ${r.message}`);
  const shared = sharedExplanations(check.records);
  if (shared.size > 0) {
    lines.push('', 'Said once for several records:');
    for (const [message, n] of shared) lines.push(`  [${n}] ${message}`);
  }
  lines.push('');
  const width = Math.max(6, ...check.records.map((r) => r.key.length));
  const nameWidth = Math.min(48, Math.max(4, ...check.records.map((r) => r.name.length)));
  lines.push(
    paint('2', `  ${'GRADE'.padEnd(9)}  ${'RECORD'.padEnd(width)}  ${'NAME'.padEnd(nameWidth)}  SEEN`),
  );
  for (const record of check.records) {
    lines.push(
      `  ${grade(record.grade)}  ${record.key.padEnd(width)}  ${record.name.padEnd(nameWidth)}  ${seen(record)}`,
    );
    for (const m of record.remarks) {
      const n = shared.get(m.message);
      const text = `${MARK[m.severity] ?? ''} ${m.code}: ${n === undefined ? m.message : `see [${n}]`}`;
      lines.push(
        `      ${m.severity === 'error' ? paint('31', text) : m.severity === 'note' ? paint('2', text) : text}`,
      );
    }
    if (options.verbose)
      for (const o of record.observed)
        lines.push(
          paint(
            '2',
            `      ${o.path} ${o.server}: ${o.name} ${o.type} ${o.value ?? '(none)'}${o.ttl === null ? '' : ` ttl ${o.ttl}`}`,
          ),
        );
  }
  if (check.verification.evidence !== null) lines.push('', `verified by: ${check.verification.evidence}`);
  return lines.join('\n');
}

/** Past this length a message repeated by several records is printed once, and referred to by number. */
const LONG_MESSAGE = 160;

/**
 * The long remark messages that several records share (the root servers unreachable, a nameserver that does
 * not answer): numbered, so the table says each once instead of once per record.
 */
function sharedExplanations(records: readonly RecordCheck[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records)
    for (const m of new Set(r.remarks.map((x) => x.message)))
      if (m.length > LONG_MESSAGE) counts.set(m, (counts.get(m) ?? 0) + 1);
  const shared = new Map<string, number>();
  for (const [m, c] of counts) if (c > 1) shared.set(m, shared.size + 1);
  return shared;
}

/** What the authoritative servers show, shortly: the first CNAME or the value, with its TTL. */
function seen(record: RecordCheck): string {
  const first = record.observed.find((o) => o.path === 'authoritative');
  if (first === undefined) return '';
  if (first.value === null) return '(nothing)';
  const value = first.value.length > 60 ? `${first.value.slice(0, 57)}...` : first.value;
  return `${first.type} ${value} (ttl ${first.ttl ?? '?'})`;
}
