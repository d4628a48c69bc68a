import { sql, type Kysely, type Selectable } from 'kysely';
import type { SmtpCredential, SmtpCredentialRepository } from '../accounts/index.ts';
import type { BounceClass } from '../bounces/index.ts';
import type {
  BounceRecord,
  DeliveryAttempt,
  GatewayRepository,
  MessageStatus,
  MessageTrace,
} from '../gateway/index.ts';
import type { Database } from './database.ts';
import type { GatewayAttemptsTable, GatewayMessagesTable, SmtpCredentialsTable } from './gateway-tables.ts';

const toCredential = (r: Selectable<SmtpCredentialsTable>): SmtpCredential => ({
  id: r.id,
  tenantId: r.tenant_id,
  username: r.username,
  name: r.name,
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export function smtpCredentialRepository(db: Kysely<Database>): SmtpCredentialRepository {
  return {
    async insert(c) {
      await db
        .insertInto('smtp_credentials')
        .values({
          id: c.id,
          tenant_id: c.tenantId,
          username: c.username,
          name: c.name,
          secret_hash: c.secretHash,
          created_at: c.createdAt,
          last_used_at: c.lastUsedAt,
          revoked_at: c.revokedAt,
        })
        .execute();
    },
    async findByUsername(username) {
      const row = await db
        .selectFrom('smtp_credentials')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst();
      return row ? toCredential(row) : null;
    },
    async list(tenantId) {
      const rows = await db
        .selectFrom('smtp_credentials')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .execute();
      return rows.map(toCredential);
    },
    async revoke(tenantId, id, at) {
      const r = await db
        .updateTable('smtp_credentials')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('tenant_id', '=', tenantId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async touch(id, at) {
      await db.updateTable('smtp_credentials').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}

const toMessage = (r: Selectable<GatewayMessagesTable>): MessageTrace => ({
  id: r.id,
  tenantId: r.tenant_id,
  domainId: r.domain_id,
  senderDomain: r.sender_domain,
  headerFrom: r.header_from,
  submittedMailFrom: r.submitted_mail_from,
  recipients: JSON.parse(r.recipients) as MessageTrace['recipients'],
  signatures: JSON.parse(r.signatures) as MessageTrace['signatures'],
  signingDecision: r.signing_decision,
  clientAddress: r.client_address,
  credential: r.credential,
  size: Number(r.size),
  acceptedAt: r.accepted_at,
  status: r.status as MessageStatus,
  updatedAt: r.updated_at,
});

const toAttempt = (r: Selectable<GatewayAttemptsTable>): DeliveryAttempt => ({
  messageId: r.message_id,
  tenantId: r.tenant_id,
  recipient: r.recipient,
  at: r.at,
  status: r.status as DeliveryAttempt['status'],
  code: Number(r.code),
  reply: r.reply,
  host: r.host,
  tls: Number(r.tls) === 1,
});

export function gatewayRepository(db: Kysely<Database>): GatewayRepository {
  return {
    async insertMessages(messages) {
      if (messages.length === 0) return;
      await db
        .insertInto('gateway_messages')
        .values(
          messages.map((m) => ({
            id: m.id,
            tenant_id: m.tenantId,
            domain_id: m.domainId,
            sender_domain: m.senderDomain,
            header_from: m.headerFrom,
            submitted_mail_from: m.submittedMailFrom,
            recipients: JSON.stringify(m.recipients),
            signatures: JSON.stringify(m.signatures),
            signing_decision: m.signingDecision,
            client_address: m.clientAddress,
            credential: m.credential,
            size: m.size,
            accepted_at: m.acceptedAt,
            status: m.status,
            updated_at: m.updatedAt,
          })),
        )
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async insertAttempts(attempts) {
      if (attempts.length === 0) return;
      await db
        .insertInto('gateway_attempts')
        .values(
          attempts.map((a) => ({
            message_id: a.messageId,
            tenant_id: a.tenantId,
            recipient: a.recipient,
            at: a.at,
            status: a.status,
            code: a.code,
            reply: a.reply,
            host: a.host,
            tls: a.tls ? 1 : 0,
          })),
        )
        .execute();
    },
    async insertBounces(bounces) {
      if (bounces.length === 0) return;
      await db
        .insertInto('gateway_bounces')
        .values(
          bounces.map((b) => ({
            message_id: b.messageId,
            tenant_id: b.tenantId,
            domain_id: b.domainId,
            recipient: b.recipient,
            at: b.at,
            reason: b.reason,
            code: b.code,
            reply: b.reply,
            class: b.class,
            rule: b.rule,
            status: b.status,
          })),
        )
        .execute();
    },
    async hasBounce(messageId, recipient, reason) {
      const row = await db
        .selectFrom('gateway_bounces')
        .select('id')
        .where('message_id', '=', messageId)
        .where('recipient', '=', recipient)
        .where('reason', '=', reason)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
    async setStatus(updates) {
      // One statement per 100 messages rather than one each: every message's row now exists before delivery, so
      // every finished message is an update. VALUES names its columns column1.. in SQLite and PostgreSQL alike.
      for (let i = 0; i < updates.length; i += 100) {
        const rows = updates.slice(i, i + 100).map((u) => sql`(${u.id}, ${u.status}, ${u.updatedAt})`);
        await sql`UPDATE gateway_messages SET status = v.column2, updated_at = v.column3
          FROM (VALUES ${sql.join(rows)}) AS v WHERE gateway_messages.id = v.column1`.execute(db);
      }
    },
    async findMessage(tenantId, id) {
      const row = await db
        .selectFrom('gateway_messages')
        .selectAll()
        .where('id', '=', id)
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      if (row === undefined) return null;
      const attempts = await db
        .selectFrom('gateway_attempts')
        .selectAll()
        .where('message_id', '=', id)
        .where('tenant_id', '=', tenantId)
        .orderBy('id')
        .execute();
      return { message: toMessage(row), attempts: attempts.map(toAttempt) };
    },
    async messageById(id) {
      const row = await db.selectFrom('gateway_messages').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : toMessage(row);
    },
    async listMessages(tenantId, limit) {
      const rows = await db
        .selectFrom('gateway_messages')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('accepted_at', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toMessage);
    },
    async listBounces(tenantId, limit) {
      const rows = await db
        .selectFrom('gateway_bounces')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r): BounceRecord => ({
        messageId: r.message_id,
        tenantId: r.tenant_id,
        domainId: r.domain_id,
        recipient: r.recipient,
        at: r.at,
        reason: r.reason as BounceRecord['reason'],
        code: Number(r.code),
        reply: r.reply,
        class: r.class as BounceClass,
        rule: r.rule,
        status: r.status,
      }));
    },
  };
}
