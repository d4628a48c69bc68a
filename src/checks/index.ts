/**
 * Checks of the customer's DNS: every planned record graded perfect / ok / error / temperror with remarks, seen
 * through the domain's authoritative servers and through recursive resolvers. Pure over an injected resolver.
 */
export { checkDomain } from './domain-checker.ts';
export type { DomainCheckerDeps } from './domain-checker.ts';
export { DelegationCache } from './delegation-cache.ts';
export type {
  DomainCheck,
  Grade,
  NameserverStatus,
  Observation,
  RecordCheck,
  Remark,
  RemarkSeverity,
} from './model.ts';
export type { CheckRepository, RecordState, StoredCheck } from './ports.ts';
export { CheckService } from './check-service.ts';
export type { CheckServiceDeps } from './check-service.ts';
export { CheckScheduler } from './scheduler.ts';
export type { CheckSchedulerOptions } from './scheduler.ts';
