import type { SmtpReply } from './smtp-reply.ts';

/**
 * The MAIL and RCPT parameters the gateway takes (pure). RFC 5321 §4.1.1.11: a parameter the server does not
 * implement, or did not advertise, is refused with 555. smtp-server parses any `KEY=value` and, with its DSN,
 * SMTPUTF8 and REQUIRETLS extensions hidden (they are: the gateway implements none of them), passes them on
 * unchecked; accepting them would tell the client that NOTIFY=, RET=, ORCPT=, REQUIRETLS or SMTPUTF8 were honoured.
 */

/** What each advertised extension lets MAIL carry: SIZE (RFC 1870), BODY (RFC 6152), AUTH (RFC 4954 §5). */
function mailParameters(authOffered: boolean): ReadonlySet<string> {
  return new Set(authOffered ? ['SIZE', 'BODY', 'AUTH'] : ['SIZE', 'BODY']);
}

/** The reply refusing the first parameter not offered, or null when all are. Keys are upper case. */
export function unofferedParameter(
  verb: 'MAIL' | 'RCPT',
  args: Readonly<Record<string, unknown>> | false | undefined,
  authOffered: boolean,
): SmtpReply | null {
  if (!args) return null;
  // RCPT takes no parameter here: NOTIFY= and ORCPT= belong to DSN (RFC 3461), which is not offered.
  const allowed = verb === 'MAIL' ? mailParameters(authOffered) : new Set<string>();
  const name = Object.keys(args).find((key) => !allowed.has(key.toUpperCase()));
  if (name === undefined) return null;
  return {
    code: 555,
    enhanced: '5.5.4',
    text: `The ${verb} parameter ${name.slice(0, 40)} is not offered by this server (RFC 5321 §4.1.1.11).`,
  };
}
