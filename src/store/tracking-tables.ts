import type { Generated } from 'kysely';

/** Tracking's table (migration 1010-tracking-events): one row per open or click, client network truncated. */
export interface TrackingTables {
  tracking_events: TrackingEventsTable;
}

export interface TrackingEventsTable {
  id: Generated<number>;
  tenant_id: string;
  domain_id: string | null;
  sender_domain: string | null;
  message_id: string;
  recipient_index: number;
  kind: string;
  link_index: number;
  url: string;
  at: string;
  client_network: string;
  user_agent: string;
  class: string;
  rule: string;
}
