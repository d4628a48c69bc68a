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
export type { SignInFailureLog, SignInLimits } from './sign-in-limiter.ts';
export type { SessionAccess, SessionRecord, SessionRepository, SessionView } from './session-model.ts';
export { TeamService, LINK_TOKEN } from './team-service.ts';
export type { TeamDeps } from './team-service.ts';
export { PasswordService } from './password-service.ts';
export type { PasswordDeps } from './password-service.ts';
export { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, checkNewPassword } from './password-policy.ts';
export { TEAM_ROLES } from './team-model.ts';
export type {
  IssuedLink,
  PasswordLinkRecord,
  TeamChange,
  TeamMember,
  TeamRepository,
  TeamRole,
} from './team-model.ts';
