/** Tenants, users and API keys: who may do what, and to which tenant's data. */
export { AccountService, newId } from './account-service.ts';
export type { AccountDeps } from './account-service.ts';
export type { AccountRepository } from './ports.ts';
export type { ApiKeyRecord, Principal, Tenant, User, UserRole } from './model.ts';
export { SmtpCredentialService } from './smtp-credential-service.ts';
export type { SmtpCredential, SmtpCredentialRepository } from './smtp-credential-service.ts';
export { SessionService, csrfTokenFor, csrfTokensEqual, sessionIdHash } from './session-service.ts';
export type { OpenedSession, SessionDeps, SessionPrincipal } from './session-service.ts';
export { SignInLimiter } from './sign-in-limiter.ts';
export type { SignInLimits } from './sign-in-limiter.ts';
export type { SessionAccess, SessionRecord, SessionRepository, SessionView } from './session-model.ts';
