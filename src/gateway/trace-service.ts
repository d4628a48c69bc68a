import { AppError } from '../core/index.ts';
import type { BounceRecord, DeliveryAttempt, GatewayRepository, MessageTrace } from './trace.ts';

/** Reads the message trace for the API and CLI, always for one tenant: another tenant's message is not found. */
export class TraceService {
  readonly #repo: GatewayRepository;

  constructor(repo: GatewayRepository) {
    this.#repo = repo;
  }

  async message(
    tenantId: string,
    id: string,
  ): Promise<{ message: MessageTrace; attempts: DeliveryAttempt[] }> {
    const found = /^[a-z2-7]{20}$/.test(id) ? await this.#repo.findMessage(tenantId, id) : null;
    if (found === null) throw new AppError('not_found', `No message ${id}.`);
    return found;
  }

  messages(tenantId: string, limit = 50): Promise<MessageTrace[]> {
    return this.#repo.listMessages(tenantId, Math.min(Math.max(1, limit), 1000));
  }

  bounces(tenantId: string, limit = 50): Promise<BounceRecord[]> {
    return this.#repo.listBounces(tenantId, Math.min(Math.max(1, limit), 1000));
  }
}
