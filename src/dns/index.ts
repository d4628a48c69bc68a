/**
 * The authoritative DNS server of the platform zone: a pure zone model with pre-encoded answers, a hardened
 * wire codec, UDP and TCP edges, AXFR and NOTIFY, and the keeper that follows the store's change log.
 */
export { startDns } from './dns-server.ts';
export type { DnsDeps, DnsMetrics, RunningDns } from './dns-server.ts';
export { dnsSettingsFrom, parseNotifyTarget } from './dns-settings.ts';
export type { DnsConfig, DnsSettings, DnsSettingsProblem } from './dns-settings.ts';
export type { ChangeRow, DnsRepository, StoredSerial, ZoneSource } from './ports.ts';
export { Zone } from './zone.ts';
export type { Resolution, ZoneDiff } from './zone.ts';
export type { ZoneSnapshot } from './zone-snapshot.ts';
export { presentRecord, presentRdata } from './wire-record.ts';
export type { WireRecord } from './wire-record.ts';
export { ZoneKeeper } from './zone-keeper.ts';
export { renderZoneFile, zoneFileChunks } from './zone-file.ts';
export { hostedZoneRecords, platformRecords, soaRecord } from './zone-builder.ts';
export type { ZoneSettings } from './zone-builder.ts';
export type { ResourceRecord, Rdata } from './resource-record.ts';
export { serialGreater, nextSerial } from './serial.ts';
export { generateTsigSecret, parseTsigKey } from '../dns-wire/index.ts';
export { isTsigAlgorithm, TSIG_ALGORITHMS } from '../dns-wire/index.ts';
export type { TsigAlgorithm, TsigKey } from '../dns-wire/index.ts';
export { renderKeyStanzas } from './tsig-key-stanzas.ts';
export type { KeyStanzas } from './tsig-key-stanzas.ts';
export { renderSignerStanza } from './signer-stanza.ts';
export type { SignerStanzaInput } from './signer-stanza.ts';
