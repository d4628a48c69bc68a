/** Tenants, users and API keys: who may do what, and to which tenant's data. */
export { AccountService, newId } from './account-service.ts';
export type { AccountDeps } from './account-service.ts';
export type { AccountRepository } from './ports.ts';
export type { ApiKeyRecord, Principal, Tenant, User, UserRole } from './model.ts';
export { SmtpCredentialService } from './smtp-credential-service.ts';
export type { SmtpCredential, SmtpCredentialRepository } from './smtp-credential-service.ts';
