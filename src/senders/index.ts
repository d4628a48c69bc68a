/**
 * Named senders: the catalogue of services that send mail as their customers' domains (catalogue.json), and the
 * pure identification of a DMARC report source against it, with the one record change that makes it pass. See
 * docs/named-senders.md.
 */
export {
  SENDER_CATEGORIES,
  catalogueSchema,
  isAtOrBelow,
  matchesSelector,
  parseCatalogue,
  shippedCatalogue,
} from './catalogue.ts';
export type { SenderCatalogue, SenderCategory, SenderService } from './catalogue.ts';
export { fillPlaceholders, fixFor, identifySender } from './identify.ts';
export type {
  DkimSeen,
  IdentifyOptions,
  NamedSender,
  SenderFix,
  SenderFixRecord,
  Share,
  SourceEvidence,
  SpfSeen,
} from './identify.ts';
