/**
 * DKIM: keys (generation and import, encryption at rest), the rotation planner (pure) and its scheduler, the
 * visibility probe, and the protocol itself for every other folder: the RFC 6376 §3.2 tag-list parser, key
 * records, relaxed canonicalisation and the signer. Private keys never leave this folder: other folders sign
 * through a `DkimSigner`.
 */
export { KEY_STATES, isKeyPublished, isKeySigning, holdsSelector } from './model.ts';
export type { DkimKey, DkimKeyView, KeyAlgorithm, KeyOrigin, KeyState } from './model.ts';
export {
  keyRecord,
  keyRecordProblem,
  publishedRecordOf,
  publicKeyBytesOf,
  base64Bytes,
} from './key-record.ts';
export { parseTagList, describeTagListFault } from './tag-list.ts';
export type { TagList, TagListFault } from './tag-list.ts';
export {
  cryptoKeyGenerator,
  materialOf,
  publicKeyBytes,
  publicKeyValue,
  fingerprintOf,
  selfTest,
} from './key-material.ts';
export type { KeyGenerator, KeyMaterial } from './key-material.ts';
export { importPrivateKey, MIN_RSA_BITS, RECOMMENDED_RSA_BITS } from './key-import.ts';
export type { ImportInput, ImportRefusal, ImportRefusalReason, ImportedKey } from './key-import.ts';
export {
  resolvePolicy,
  mergeOverrides,
  policyOverridesInput,
  rsaKeyBits,
  RSA_KEY_BITS,
  RSA_KEY_BITS_TEXT,
} from './rotation-policy.ts';
export type {
  RotationPolicy,
  PolicyText,
  PolicyOverrides,
  PolicyProblem,
  RsaKeyBits,
} from './rotation-policy.ts';
export { planRotation, NOTICE_REPEAT_MS } from './rotation-planner.ts';
export type {
  Transition,
  Notice,
  NoticeType,
  SeriesInput,
  PlannerFacts,
  RotationPlan,
} from './rotation-planner.ts';
export { PolicyBook } from './policy-book.ts';
export { keyAad, publishKey } from './key-publisher.ts';
export type { PublisherDeps } from './key-publisher.ts';
export { RotationScheduler, seriesOf, updateOf } from './rotation-scheduler.ts';
export type { SchedulerDeps, TickReport } from './rotation-scheduler.ts';
export { DkimService, viewOf } from './dkim-service.ts';
export type { DkimServiceDeps, DomainPolicyView } from './dkim-service.ts';
export { SigningKeys } from './signing-keys.ts';
export type { ScheduledKey, SigningSet, SigningKeysDeps } from './signing-keys.ts';
export { dkimSigner } from './message-signer.ts';
export type {
  DkimSigner,
  SigningDomain,
  SigningKeySource,
  SignOutcome,
  SignRequest,
} from './message-signer.ts';
export { SIGNED_FIELDS, OVERSIGNED_FIELDS } from './signer.ts';
export type { BodyHash, SignatureUsed, SigningKey } from './signer.ts';
export { RelaxedBodyHasher } from './canonicalization.ts';
export { dnsVisibilityProbe } from './visibility-probe.ts';
export { expectedDkimRecords } from './expected-records.ts';
export { rewrapDkimKeys } from './kek-rotation.ts';
export type { RewrapReport } from './kek-rotation.ts';
export type { DkimKeyRepository, KeyUpdate, KeyVisibilityProbe, SealedKeyRow, Visibility } from './ports.ts';
