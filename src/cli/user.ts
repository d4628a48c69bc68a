import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { AppError } from '../core/index.ts';
import { checkNewPassword, type UserRole } from '../accounts/index.ts';
import { resolveTenant, withServices } from './session.ts';
import { emit, type CliIo, type GlobalOptions } from './io.ts';

const ROLES: readonly UserRole[] = ['owner', 'member', 'operator'];

/** Asks for a line on a terminal without echoing it. */
function promptHidden(io: CliIo, question: string): Promise<string> {
  const muted = new Writable({ write: (_chunk, _enc, done) => done() });
  io.stderr.write(question);
  const rl = createInterface({ input: io.stdin!, output: muted, terminal: true });
  return new Promise((resolve) => {
    rl.once('line', (line) => {
      io.stderr.write('\n');
      rl.close();
      resolve(line);
    });
  });
}

/**
 * The new user's password: typed twice at a terminal (not echoed), or the first line of standard input when it
 * is piped. Never a command-line argument, where other users of the machine and the shell history would see it.
 */
async function readPassword(io: CliIo): Promise<string> {
  const stdin: (NodeJS.ReadableStream & { isTTY?: boolean }) | undefined = io.stdin;
  if (stdin === undefined) throw new AppError('bad_request', 'Give the password on standard input.');
  if (stdin.isTTY === true) {
    const first = await promptHidden(io, 'Password (at least 12 characters): ');
    // A password the policy refuses is said at once, not after it was typed a second time for nothing.
    checkNewPassword(first);
    const again = await promptHidden(io, 'Again: ');
    if (first !== again) throw new AppError('validation_failed', 'The two passwords differ.');
    return first;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (line === '') throw new AppError('validation_failed', 'No password on standard input.');
  return line;
}

export function registerUser(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const user = program.command('user').description('manage the people who sign in to the dashboard');
  user
    .command('add <email>')
    .description(
      'add a user to a tenant; the password is asked for (or read from standard input), never given as an argument',
    )
    .option('--tenant <name>', 'tenant (default: SENDERD_TENANT, "default", or the only one)')
    .option('--role <role>', 'owner, member or operator (operators see every tenant)', 'owner')
    .action(async (email: string, options: { tenant?: string; role: string }) => {
      if (!(ROLES as readonly string[]).includes(options.role)) {
        throw new AppError('validation_failed', `--role must be one of ${ROLES.join(', ')}.`);
      }
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        const password = await readPassword(io);
        const added = await s.accounts.addUser(tenant.id, email, password, options.role as UserRole);
        emit(
          io,
          globals(),
          { id: added.id, email: added.email, role: added.role, tenant: tenant.name },
          () =>
            `Added ${added.role} ${added.email} to tenant ${tenant.name}. They can sign in to the dashboard now.`,
        );
      });
    });
  user
    .command('list')
    .description("list a tenant's users (never their password hashes)")
    .option('--tenant <name>', 'tenant')
    .action(async (options: { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        // `invited`: added with a set-password link that has not been used yet.
        const users = (await s.team.list(tenant.id)).map((u) => ({
          id: u.id,
          email: u.email,
          role: u.role,
          status: u.passwordSet ? 'active' : 'invited',
          createdAt: u.createdAt,
        }));
        emit(io, globals(), { tenant: tenant.name, users }, () =>
          users.length === 0
            ? `No users in tenant ${tenant.name}.`
            : users.map((u) => `${u.email}\t${u.role}\t${u.status}\tadded ${u.createdAt}`).join('\n'),
        );
      });
    });
  user
    .command('passwd <email>')
    .description(
      "set a user's password (asked for, or read from standard input); every session of the user ends",
    )
    .action(async (email: string) => {
      await withServices(io, globals(), async (s) => {
        const password = await readPassword(io);
        const { user: changed, endedSessions } = await s.passwords.reset(email, password);
        emit(
          io,
          globals(),
          { id: changed.id, email: changed.email, endedSessions },
          () => `Set the password of ${changed.email}; ${endedSessions} session(s) ended.`,
        );
      });
    });
  user
    .command('remove <email>')
    .description("remove a user; their sessions end at once (a tenant's last owner cannot be removed)")
    .action(async (email: string) => {
      await withServices(io, globals(), async (s) => {
        const found = await s.store.accounts.findUserByEmail(email.trim().toLowerCase());
        if (found === null) throw new AppError('not_found', `No user with e-mail ${email}.`);
        // The CLI is the administrator's: it may remove an operator too (a tenant's team may not).
        await s.team.remove(found.tenantId, found.id, { operators: true });
        emit(
          io,
          globals(),
          { id: found.id, email: found.email, removed: true },
          () => `Removed ${found.email}.`,
        );
      });
    });
}
