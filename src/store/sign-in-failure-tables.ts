/** Tables of the shared sign-in limit (migration 0930-sign-in-failures). */
export interface SignInFailureTables {
  sign_in_failures: SignInFailuresTable;
}

/** One row per failed sign-in and key (client, account, account at a client); rows past the window are purged. */
export interface SignInFailuresTable {
  key: string;
  at: string;
}
