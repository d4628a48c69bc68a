// Generated from /openapi.json by `npm run api:types` (scripts/api-types.ts, openapi-typescript). Do not edit:
// change the route schemas in src/api/ and run it again. src/web/api/types.ts names the parts the dashboard uses.
export interface paths {
    "/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The current session: who, which tenant, and the CSRF token */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The session. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description Not signed in, or the session has ended. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Sign in with e-mail and password
         * @description Sets the session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS) and returns the CSRF token. A session cookie sent along is discarded: every sign-in gets a new session.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Signed in. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The e-mail address or the password is wrong. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request came from another origin. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many failed sign-ins; Retry-After says how long to wait. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Sign out: the session ends on the server and the cookie is cleared */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Signed out. */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Not signed in. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No CSRF token. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/session/tenant": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Operators: act in another tenant, read-only or as operator
         * @description The session gets a new id (and cookie); the old one stops working.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        tenant: string;
                        /**
                         * @default read-only
                         * @enum {string}
                         */
                        access?: "read-only" | "operator";
                    };
                };
            };
            responses: {
                /** @description Now acting in that tenant. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an operator, or no CSRF token. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /** Operators: go back to the own tenant */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Back home. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description Not signed in. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an operator, or no CSRF token. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/session/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Change your own password
         * @description Needs the current password; wrong ones count against the sign-in limit (429 with Retry-After). Every session of the user ends, this one included, and a new one is opened: the answer sets a new cookie and carries a new CSRF token.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        currentPassword: string;
                        newPassword: string;
                    };
                };
            };
            responses: {
                /** @description Changed; here is the new session. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description The request used an API key: a password belongs to a person signed in. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No CSRF token, or another origin. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The current password is wrong, or the new one is too short. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many wrong passwords; Retry-After says how long to wait. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/set-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Choose a password with a one-time set-password link, and be signed in
         * @description The token is the part of the link after `#`. It works once and until it expires. The user’s other sessions end. Like sign-in, it needs no session but must come from the dashboard’s origin.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        token: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Password set and signed in. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request came from another origin. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The link was used already, has expired, or was replaced by a newer one. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The password is too short. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/team/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's users and their roles (never a password or its hash) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The users, by e-mail. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            users: components["schemas"]["TeamMember"][];
                        };
                    };
                };
                /** @description Not signed in. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add a user, with an initial password or (without one) a one-time set-password link
         * @description With a dashboard session, owners only (members get 403); an API key may. Without `password`, the answer carries a link that works once, until `expiresAt` (dashboard.setPasswordLinkTtl); only its hash is stored.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        /**
                         * @default member
                         * @enum {string}
                         */
                        role?: "owner" | "member";
                        password?: string;
                    };
                };
            };
            responses: {
                /** @description Added. */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: components["schemas"]["TeamMember"];
                            setPasswordLink: components["schemas"]["SetPasswordLink"];
                        };
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an owner, or no CSRF token. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A user with this e-mail address exists already. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an e-mail address, an unknown role, or a password that is too short. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/team/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a user: their sessions end at once
         * @description With a dashboard session, owners only (members get 403); an API key may. The last owner cannot be removed (409).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed. */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Not signed in. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an owner, no CSRF token, or the user is an operator (managed with the CLI). */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such user in this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The tenant's last owner cannot be removed. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a user's role
         * @description With a dashboard session, owners only (members get 403); an API key may. The change holds from the user's next request. The last owner cannot be demoted (409).
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        role: "owner" | "member";
                    };
                };
            };
            responses: {
                /** @description Changed. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: components["schemas"]["TeamMember"];
                        };
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an owner, no CSRF token, or the user is an operator (managed with the CLI). */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such user in this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The tenant's last owner cannot be demoted. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/team/users/{id}/set-password-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A new one-time set-password link for a user (their earlier links stop working)
         * @description With a dashboard session, owners only (members get 403); an API key may. For a user who lost their first link or forgot their password. Their current password keeps working until the link is used.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Issued. */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            setPasswordLink: components["schemas"]["SetPasswordLink"];
                        };
                    };
                };
                /** @description Not signed in. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an owner, no CSRF token, or the user is an operator. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such user in this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's API keys (never their secrets) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The keys. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            apiKeys: components["schemas"]["ApiKey"][];
                        };
                    };
                };
                /** @description Not signed in. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an owner. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create an API key; its full text is in this answer only */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Created. */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            apiKey: components["schemas"]["ApiKey"];
                            key: string;
                        };
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an owner, or no CSRF token. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key at once */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Revoked. */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Not signed in. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an owner, or no CSRF token. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such key in this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/overview/domains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The domains list with status badges: verified, record grades, DMARC step, key age (paged) */
        get: {
            parameters: {
                query?: {
                    /** @description Part of a name to look for. */
                    q?: string;
                    offset?: number | null;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One page, by name, and the total that match. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            total: number;
                            offset: number;
                            limit: number;
                            domains: components["schemas"]["DomainStatus"][];
                        };
                    };
                };
                /** @description Not signed in and no API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/overview/domains/{domain}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One domain's events, newest first (paged) */
        get: {
            parameters: {
                query?: {
                    offset?: number | null;
                    limit?: number;
                };
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One page and the total. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            total: number;
                            offset: number;
                            limit: number;
                            events: {
                                id: string;
                                type: string;
                                severity: string;
                                at: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not signed in and no API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Operators: every tenant with its domain and user counts */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The tenants, by name. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tenants: components["schemas"]["TenantSummary"][];
                        };
                    };
                };
                /** @description Not signed in. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an operator. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tenant's sender domains */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The domains, by name. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            domains: components["schemas"]["Domain"][];
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add a sender domain
         * @description Validates and normalises the name (IDN to A-labels), draws a fresh token and returns the domain.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["DomainCreate"];
                };
            };
            responses: {
                /** @description Added. */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Domain"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The tenant already has this domain. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Invalid input; `details` says what. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a sender domain */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The domain. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Domain"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Remove a sender domain
         * @description Its hosted records disappear; its token is never issued again.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed. */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dashboard session of a member: only owners can remove domains. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a domain's settings */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["DomainUpdate"];
                };
            };
            responses: {
                /** @description The updated domain. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Domain"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Invalid input; `details` says what. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/domains/{domain}/records": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The record plan: what to create in DNS, and what senderd hosts */
        get: {
            parameters: {
                query?: {
                    /** @description json, bind (zone snippet), csv or table. */
                    format?: "table" | "json" | "bind" | "csv";
                    /** @description Also list the records senderd hosts (bind, csv, table). */
                    hosted?: "true" | "false";
                };
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The plan, as JSON or in the format asked for. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RecordPlan"];
                        "text/dns": string;
                        "text/csv": string;
                        "text/plain": string;
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/dkim/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The domain's DKIM keys, newest first (public parts only) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The keys. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            domain: string;
                            keys: components["schemas"]["DkimKey"][];
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/dkim/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate now: publish a new key, which signs once it is visible
         * @description Publishes a freshly generated key in a free selector. It becomes active after the lead time once a resolver sees it, and the current key then co-signs for the overlap. If a new key is already waiting, that key is returned (201 only when a key was created).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        algorithm?: "rsa" | "ed25519";
                        /** @description RSA only: 2048, 3072 or 4096. */
                        bits?: 2048 | 3072 | 4096;
                    };
                };
            };
            responses: {
                /** @description A new key was already waiting. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DkimKey"];
                    };
                };
                /** @description A new key is published. */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DkimKey"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every selector holds a key that is still needed. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Invalid input. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/dkim/keys/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import your own private key (PEM)
         * @description PKCS#1 or PKCS#8, RSA (at least 1024 bits; under 2048 is accepted with a warning) or Ed25519. Encrypted PEM needs its passphrase. With `publicKey`, the pair is checked. The key is self-tested, sealed under the key-encryption key, and never returned. Imported keys do not rotate by themselves.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        pem: string;
                        passphrase?: string;
                        publicKey?: string;
                    };
                };
            };
            responses: {
                /** @description Imported and published as pending. */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            key: components["schemas"]["DkimKey"];
                            warnings: string[];
                        };
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every selector holds a key that is still needed. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The key was refused; the message says why. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/dkim/keys/{keyId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a key at once (published with an empty p=) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                    keyId: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        force?: boolean;
                    };
                };
            };
            responses: {
                /** @description Revoked. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DkimKey"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain or key. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The key signs now; repeat with force. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/dkim/keys/{keyId}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Operator override: let a pending key activate without seeing it in DNS
         * @description The lead time still applies. Use it when the resolvers senderd asks cannot see the customer’s DNS.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                    keyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The override is set. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DkimKey"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain or key. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The key is not pending. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/dkim/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The domain's rotation policy */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Effective values and overrides. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DkimPolicy"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Override the domain's rotation policy */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["DkimPolicyInput"];
                };
            };
            responses: {
                /** @description The new policy. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DkimPolicy"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Invalid policy; details say what. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's events, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Only events at or after this ISO time. */
                    since?: string;
                    /** @description A type or a prefix: dkim.key matches dkim.key.*. */
                    type?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The events. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            events: components["schemas"]["Event"][];
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where events are delivered */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The settings (the webhook secret is never shown). */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Notifications"];
                    };
                };
                /** @description No valid API key or session. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /**
         * Set the webhook URL, e-mail recipients and minimum severity
         * @description A webhook secret is drawn when a URL is first set (or with rotateSecret) and returned in this answer only. Each delivery carries `Senderd-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        webhookUrl?: string | null;
                        emailTo?: string[];
                        /** @enum {string} */
                        minSeverity?: "info" | "warning" | "critical";
                        rotateSecret?: boolean;
                    };
                };
            };
            responses: {
                /** @description Saved. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Notifications"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key or session. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Invalid settings. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test event to the webhook and e-mail recipients now
         * @description A `notifications.test` event is stored and queued for every channel, whatever the minimum severity. The deliveries start pending; `GET /v1/notifications/deliveries` shows how they went.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Queued. */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            event: components["schemas"]["Event"];
                            deliveries: components["schemas"]["Delivery"][];
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No webhook URL and no e-mail recipient is set. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's latest notification deliveries, newest first, with their status */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The deliveries. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deliveries: components["schemas"]["Delivery"][];
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/dmarc": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The DMARC policy: step, published record, both readings, autopilot, calendar, decisions */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The policy. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DmarcPolicyView"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change DMARC options, the autopilot or the calendar
         * @description Third-party rua addresses are published only after their domain authorises them (RFC 7489 §7.1).
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["DmarcPolicyInput"];
                };
            };
            responses: {
                /** @description The policy. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DmarcPolicyView"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Invalid, or a report address is not authorised. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The authorisation lookup failed; try again. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/domains/{domain}/dmarc/step": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Step the ladder by hand: to a step (0–12), forward or back */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["DmarcStepInput"];
                };
            };
            responses: {
                /** @description The policy after the step; the hosted record changes at once. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DmarcPolicyView"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A risky step up without "force": the details say why (confirmation_required). */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such step. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/dmarc/impact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Impact of policy: what a step would have done to the failing mail of the last days, by source */
        get: {
            parameters: {
                query?: {
                    days?: number;
                    /** @description Default: the next step. */
                    step?: number | null;
                };
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The impact. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DmarcImpact"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The latest check of the domain */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The latest check and when the next one is due. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            check: components["schemas"]["DomainCheck"];
                            nextCheckAt: string;
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain for this tenant, or (GET) not checked yet. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Check the domain's DNS now
         * @description Follows the delegation to the domain’s own nameservers and asks the configured resolvers, grades every planned record, stores the result as the latest and marks the domain verified when its DNS shows this tenant’s token.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The check. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DomainCheck"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain for this tenant, or (GET) not checked yet. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/dns-apply": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Write the domain's records into the customer's zone (RFC 2136)
         * @description Reads the zone from its primary, shows the difference, and (unless dryRun) sends one TSIG-signed dynamic update whose prerequisites make it fail rather than overwrite a change made meanwhile; then checks the domain. A refusal (NOTAUTH, REFUSED, BADKEY, a failed prerequisite) is a 200 with outcome.kind "refused" and a message saying what to do.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["DnsApplyRequest"];
                };
            };
            responses: {
                /** @description What was done. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DnsApplyResult"];
                    };
                };
                /** @description A bad server or key, or a server on a private, loopback or reserved address (unless checks.allowPrivateApplyServers). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key or session. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/domain-connect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether the domain's DNS provider can apply the records (Domain Connect), and the signed link */
        get: {
            parameters: {
                query?: {
                    state?: string;
                    redirectUri?: string;
                };
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The offer. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DomainConnectOffer"];
                    };
                };
                /** @description No valid API key or session. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domain-connect/template": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The platform's Domain Connect template, to give to DNS providers */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The template (valid against the Domain Connect templates schema). */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description No valid API key or session. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/smtp-credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tenant's SMTP credentials (never their passwords) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The credentials. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            credentials: components["schemas"]["SmtpCredential"][];
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create SMTP credentials for the submission port
         * @description The password is in this response only; senderd keeps a hash of it.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @default smtp */
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Created. */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SmtpCredential"] & {
                            password: string;
                        };
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/smtp-credentials/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke SMTP credentials at once */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Revoked. */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such credential. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recent messages the gateway accepted, newest first */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Messages. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            messages: components["schemas"]["Message"][];
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A message's trace: signing, envelope, and every delivery attempt with the remote reply */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The trace. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: components["schemas"]["Message"];
                            attempts: components["schemas"]["DeliveryAttempt"][];
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such message for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/bounces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recent bounces: refused (5xx) or expired after retrying */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Bounces, newest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            bounces: {
                                messageId: string;
                                recipient: string;
                                at: string;
                                /** @enum {string} */
                                reason: "rejected" | "expired" | "dsn";
                                code: number;
                                reply: string;
                                /**
                                 * @description hard: no such user or domain; soft: mailbox full or temporary; block: policy, reputation or authentication (5.7.x); unknown
                                 * @enum {string}
                                 */
                                class: "hard" | "soft" | "block" | "unknown";
                                /** @description The classifier rule that decided (docs/bounces.md). */
                                rule: string;
                                /** @description The RFC 3463 enhanced status code read. */
                                status: string | null;
                            }[];
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/suppressions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The suppression list, newest first, a page at a time with the total */
        get: {
            parameters: {
                query?: {
                    /** @description Part of the address, matched literally, ignoring case. */
                    search?: string;
                    limit?: number;
                    offset?: number | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One page of entries in force. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            suppressions: components["schemas"]["Suppression"][];
                            total: number;
                            limit: number;
                            offset: number;
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Suppress an address: the gateway refuses it at RCPT until it is removed (or expires) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        address: string;
                        /** @description Kept as the evidence and in the audit trail. */
                        why: string;
                        /** Format: date-time */
                        expiresAt?: string;
                        /** @description Suppress only for mail of this sender domain of the tenant (checked against the MAIL FROM domain at RCPT); absent: every sender domain. */
                        domain?: string;
                    };
                };
            };
            responses: {
                /** @description Suppressed. */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Suppression"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an e-mail address. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/suppressions/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every entry in force, as CSV (RFC 4180) with a header row */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The list. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/suppressions/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add the addresses of a CSV file (a header row naming an address column; reason, evidence, expires_at kept) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "text/csv": string;
                };
            };
            responses: {
                /** @description What was added; rows that could not be read are listed by line and skipped. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            added: number;
                            unchanged: number;
                            problems: {
                                line: number;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The file is not CSV with an address column. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/suppressions/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit trail: every addition and removal, with who and why, newest first */
        get: {
            parameters: {
                query?: {
                    address?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Audit rows. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            audit: components["schemas"]["SuppressionAudit"][];
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an e-mail address. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/suppressions/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the gateway does with a suppressed recipient */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The tenant's choice. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SuppressionSettings"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Choose whether the gateway refuses suppressed recipients at RCPT or accepts and drops them */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description refuse: the gateway refuses a suppressed recipient at RCPT with a reply naming the reason (the default); drop: it accepts it, sends nothing to it and emits gateway.recipient.dropped.
                         * @enum {string}
                         */
                        action: "refuse" | "drop";
                    };
                };
            };
            responses: {
                /** @description Saved. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SuppressionSettings"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/suppressions/{address}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether an address is suppressed, why and since when */
        get: {
            parameters: {
                query?: {
                    /** @description For mail of this sender domain: the tenant's own entry, else the one scoped to it. Absent: the tenant's own entry only. */
                    domain?: string;
                };
                header?: never;
                path: {
                    address: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The entry in force. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Suppression"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The address is not suppressed. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an e-mail address. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Remove an address from the list; who and why go to the audit trail */
        delete: {
            parameters: {
                query: {
                    /** @description Why it is removed. */
                    why: string;
                    /** @description A sender domain of the tenant: the entry scoped to it (absent: the whole tenant). */
                    domain?: string;
                };
                header?: never;
                path: {
                    address: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed: mail to it is accepted again. */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The address is not on the list. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an e-mail address, or no reason given. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/figures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The domain's mail per day: sent, delivered, bounces by class, complaints, unsubscribes, complaint rate */
        get: {
            parameters: {
                query?: {
                    /** @description Days up to today. */
                    days?: number;
                };
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The figures. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DomainFigures"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/domains/{domain}/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Daily DMARC figures of a domain: messages, disposition, DMARC pass, DKIM and SPF aligned pass */
        get: {
            parameters: {
                query?: {
                    /** @description Whole UTC days ending today (or ending `to`); 30 when nothing else is given. */
                    days?: number;
                    /** @description The first day of the window (UTC, YYYY-MM-DD, included). */
                    from?: string;
                    /** @description The last day of the window (UTC, YYYY-MM-DD, included). */
                    to?: string;
                    /** @description true: from the first report stored for the domain to today. */
                    all?: "true" | "false";
                    /** @description cover (default): a report counts on the day its date range covers; arrival: on the day it was stored. */
                    basis?: "cover" | "arrival";
                };
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Totals and one row per day with reports. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ReportSummary"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain (or entry) for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/domains/{domain}/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sending sources of a domain: address, reverse name, class (platform, forwarder, unknown), results */
        get: {
            parameters: {
                query?: {
                    /** @description Whole UTC days ending today (or ending `to`); 30 when nothing else is given. */
                    days?: number;
                    /** @description The first day of the window (UTC, YYYY-MM-DD, included). */
                    from?: string;
                    /** @description The last day of the window (UTC, YYYY-MM-DD, included). */
                    to?: string;
                    /** @description true: from the first report stored for the domain to today. */
                    all?: "true" | "false";
                    /** @description cover (default): a report counts on the day its date range covers; arrival: on the day it was stored. */
                    basis?: "cover" | "arrival";
                    limit?: number;
                    /** @description true: figures from verified reports only (DKIM, forward-confirmed reverse DNS or operator-trusted), summed from their records by the days they cover; unverified and legacy reports left out. `total` is then the number listed. */
                    verified?: "true" | "false";
                };
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description By messages, most first; `total` sources in all. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sources: components["schemas"]["ReportSource"][];
                            /** @description Rows in all (in the window), however many are listed. */
                            total: number;
                            /** @description True when `limit` left rows out. */
                            truncated: boolean;
                            /** @description Messages of every source in the window, listed or not. */
                            messages: number;
                            window: components["schemas"]["ReportWindow"];
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain (or entry) for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/domains/{domain}/selectors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * DKIM results per signing domain and selector (rotation health)
         * @description Always by the day reports cover (`basis` is ignored).
         */
        get: {
            parameters: {
                query?: {
                    /** @description Whole UTC days ending today (or ending `to`); 30 when nothing else is given. */
                    days?: number;
                    /** @description The first day of the window (UTC, YYYY-MM-DD, included). */
                    from?: string;
                    /** @description The last day of the window (UTC, YYYY-MM-DD, included). */
                    to?: string;
                    /** @description true: from the first report stored for the domain to today. */
                    all?: "true" | "false";
                    /** @description cover (default): a report counts on the day its date range covers; arrival: on the day it was stored. */
                    basis?: "cover" | "arrival";
                };
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description By messages; never cut. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            selectors: components["schemas"]["ReportSelector"][];
                            /** @description Rows in all (in the window), however many are listed. */
                            total: number;
                            /** @description True when `limit` left rows out. */
                            truncated: boolean;
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain (or entry) for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/domains/{domain}/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The aggregate and TLS reports received for a domain */
        get: {
            parameters: {
                query?: {
                    /** @description Whole UTC days ending today (or ending `to`); 30 when nothing else is given. */
                    days?: number;
                    /** @description The first day of the window (UTC, YYYY-MM-DD, included). */
                    from?: string;
                    /** @description The last day of the window (UTC, YYYY-MM-DD, included). */
                    to?: string;
                    /** @description true: from the first report stored for the domain to today. */
                    all?: "true" | "false";
                    /** @description cover (default): a report counts on the day its date range covers; arrival: on the day it was stored. */
                    basis?: "cover" | "arrival";
                    limit?: number;
                };
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Newest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            reports: components["schemas"]["Report"][];
                            /** @description Rows in all (in the window), however many are listed. */
                            total: number;
                            /** @description True when `limit` left rows out. */
                            truncated: boolean;
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain (or entry) for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/domains/{domain}/failures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Failure reports of a domain, redacted (no local parts, bodies or subjects) */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Newest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            failures: {
                                id: string;
                                receivedAt: string;
                                expiresAt: string;
                                report: {
                                    [key: string]: unknown;
                                };
                            }[];
                            /** @description Rows in all (in the window), however many are listed. */
                            total: number;
                            /** @description True when `limit` left rows out. */
                            truncated: boolean;
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain (or entry) for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/reporters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The reporter scoreboard: reports, duplicates, malformed, late, gone silent
         * @description Always by the day reports cover (`basis` is ignored).
         */
        get: {
            parameters: {
                query?: {
                    /** @description Whole UTC days ending today (or ending `to`); 30 when nothing else is given. */
                    days?: number;
                    /** @description The first day of the window (UTC, YYYY-MM-DD, included). */
                    from?: string;
                    /** @description The last day of the window (UTC, YYYY-MM-DD, included). */
                    to?: string;
                    /** @description true: from the first report stored for the domain to today. */
                    all?: "true" | "false";
                    /** @description cover (default): a report counts on the day its date range covers; arrival: on the day it was stored. */
                    basis?: "cover" | "arrival";
                    domain?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description By reporter; never cut. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            reporters: components["schemas"]["Reporter"][];
                            /** @description Rows in all (in the window), however many are listed. */
                            total: number;
                            /** @description True when `limit` left rows out. */
                            truncated: boolean;
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain (or entry) for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/quarantine": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Inputs refused for this tenant's domains, with their reasons */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Newest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            quarantine: components["schemas"]["QuarantineEntry"][];
                            /** @description Rows in all (in the window), however many are listed. */
                            total: number;
                            /** @description True when `limit` left rows out. */
                            truncated: boolean;
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/quarantine/{id}/raw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The raw bytes of a quarantined input (its start, up to reports.maxRawKeptBytes), gzip-compressed */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description gzip of the raw input. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/gzip": string;
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain (or entry) for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/upload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a report: XML, JSON, gzip, zip, an e-mail (.eml) or an mbox, detected by content
         * @description Reports are attributed to this tenant's domain named by the report's policy domain. The answer lists what happened to each report found.
         */
        post: {
            parameters: {
                query?: {
                    /** @description operator: vouch for the reporters of this upload (owners, operators and API keys only). Without it an upload is verified only if it is a whole message with a DKIM signature of the reporter's domain; otherwise its reports are stored as unverified and the autopilot ignores them. */
                    trust?: "operator";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/octet-stream": string;
                };
            };
            responses: {
                /** @description What happened to each report. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            outcomes: components["schemas"]["IngestOutcome"][];
                            bytes: number;
                            sha256: string;
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Larger than reports.maxUploadBytes. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/edge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The domain's customer hosts and their certificates
         * @description Each host senderd serves for the domain (clicks.<domain> while tracking is on, mta-sts.<domain> while MTA-STS is on), with where its certificate stands: waiting for the CNAME, ordered, issued (with expiry and renewal time), renewing, failed (with the CA’s error and the next attempt) or expired.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The hosts. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DomainEdgeStatus"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/edge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every customer host of the tenant and its certificate */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Each domain that has a customer host, by name. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            domains: components["schemas"]["DomainEdgeStatus"][];
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/mta-sts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The domain's MTA-STS policy and TLS-RPT: mode, MX patterns, policy text and id */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The MTA-STS state. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MtaSts"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Switch MTA-STS and TLS-RPT on (mode testing), or take in new MX patterns */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["MtaStsEnableInput"];
                };
            };
            responses: {
                /** @description On; the plan now has _mta-sts, _smtp._tls and mta-sts.<domain>. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MtaSts"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No MX records, or a pattern that leaves an MX host out. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The MX records could not be looked up. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Switch MTA-STS off (from enforce only through none, RFC 8461 §8.3, or with ?force=true) */
        delete: {
            parameters: {
                query?: {
                    force?: "true" | "false";
                };
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Off; the records and the policy host leave the plan. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MtaSts"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The policy is enforced: set mode none first, or force. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/mta-sts/mode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move the mode: testing, enforce (guarded by the TLS reports and the MX hosts) or none */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["MtaStsModeInput"];
                };
            };
            responses: {
                /** @description The new mode; the policy id changes at once. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MtaSts"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description MTA-STS is off, an MX host is not in the policy, or enforce needs "force" (details say why). */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/bimi/logo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The domain's BIMI logo: its hash, size and URL */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The logo, or none. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BimiLogo"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Upload the BIMI logo: an SVG Tiny PS file (the raw bytes), checked, served by the edge, published as l=
         * @description The body is the SVG itself (Content-Type image/svg+xml). Refused with the reason (details[0].reason): too_large (over 32 KB), not_utf8, not_xml, doctype (no DTD: XXE), not_svg, profile (baseProfile="tiny-ps", version="1.2", no x/y), forbidden_element (script, image, foreignObject, animation, style, links), forbidden_attribute (on* handlers, javascript:), external_reference (only #id), no_title, not_square.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "image/svg+xml": string;
                };
            };
            responses: {
                /** @description Stored; the BIMI record points at it. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BimiLogo"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The domain has no edge host (tracking and MTA-STS are off). */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The logo is larger than 32 KB. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The logo is not SVG Tiny PS: details say why. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Remove the BIMI logo (and the l= that points at it) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BimiLogo"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's alert settings: on/off, thresholds, the digest */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The settings (defaults until changed). */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AlertSettings"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Change the alert settings; fields left out keep their value */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["AlertSettingsInput"];
                };
            };
            responses: {
                /** @description Saved. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AlertSettings"];
                    };
                };
                /** @description The body is not JSON, or is sent without Content-Type: application/json. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key or session. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Invalid settings. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What the gateway delivered to each receiver against what its aggregate reports counted
         * @description Per day and receiver: messages delivered, messages the receiver's reports counted from the platform's egress addresses with this From domain, coverage, an alarm when more was counted than sent, and our DKIM (by selector) and SPF results as the receiver saw them.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Complete UTC days. */
                    days?: number;
                    /** @description The last day (YYYY-MM-DD); default yesterday, the latest day reported. */
                    to?: string;
                };
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The reconciliation, newest day first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Reconciliation"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/tracking": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Opens and clicks of the domain per day, and click-through by link
         * @description Per day (UTC) from `from` to `to` (the last 30 days by default, at most 366): recipients delivered, and unique opens and clicks (one per message and recipient) by class. Only `human` counts as people; privacy proxies and scanners are reported beside it. Links are ranked by people’s unique clicks.
         */
        get: {
            parameters: {
                query?: {
                    from?: string;
                    to?: string;
                };
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The figures. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TrackingFigures"];
                    };
                };
                /** @description A range that is empty or longer than 366 days. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{domain}/tracking/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The latest opens and clicks of the domain, newest first */
        get: {
            parameters: {
                query?: {
                    messageId?: string;
                    limit?: number;
                };
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The events. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            events: components["schemas"]["TrackingEvent"][];
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such domain for this tenant. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request does not match its schema (code validation_failed; details name each field). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/{id}/tracking": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The links of one message, most clicked by people first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The links. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            messageId: string;
                            links: components["schemas"]["TrackingLink"][];
                        };
                    };
                };
                /** @description No valid API key. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Session: {
            user: {
                email: string;
                /** @enum {string} */
                role: "owner" | "member" | "operator";
            };
            /** @description The tenant the session acts for now. */
            tenant: {
                id: string;
                name: string;
            };
            /** @description The user's own tenant. */
            homeTenant: {
                id: string;
                name: string;
            };
            /**
             * @description user: in the own tenant; read-only / operator: an operator looking into another tenant.
             * @enum {string}
             */
            access: "user" | "read-only" | "operator";
            /** @description The absolute end of the session. */
            expiresAt: string;
            /** @description Send it as X-CSRF-Token with every POST, PUT, PATCH and DELETE made with the session cookie. */
            csrfToken: string;
        };
        Error: {
            error: {
                /**
                 * @description Stable, machine-readable error code.
                 * @example not_found
                 */
                code: string;
                /** @description A sentence for a person. */
                message: string;
                details: {
                    path?: string;
                    message: string;
                    reason?: string;
                }[];
                /** @description Quote this when asking for help; it is in the server log. */
                requestId: string;
            };
        };
        TeamMember: {
            /** @example usr_abcdefghijklmnop */
            id: string;
            email: string;
            /** @enum {string} */
            role: "owner" | "member" | "operator";
            createdAt: string;
            /** @description False until the user has used their set-password link. */
            passwordSet: boolean;
            /** @description When the unused set-password link ends; null when there is none. */
            linkExpiresAt: string | null;
        };
        SetPasswordLink: {
            /**
             * @description Pass it on to the user. The token is in the fragment (#), so browsers send it neither to the server in the request line nor in a Referer.
             * @example https://senderd.example.com/set-password#Qm9...
             */
            url: string;
            token: string;
            expiresAt: string;
        } | null;
        ApiKey: {
            id: string;
            name: string;
            createdAt: string;
            lastUsedAt: string | null;
            revokedAt: string | null;
        };
        DomainStatus: {
            name: string;
            mode: string;
            createdAt: string;
            verified: boolean;
            verifiedAt: string | null;
            check: {
                /** @enum {string} */
                grade: "perfect" | "ok" | "error" | "temperror";
                checkedAt: string;
            } | null;
            /** @description How many planned records have each grade in the latest check. */
            records: {
                perfect: number;
                ok: number;
                error: number;
                temperror: number;
            };
            dmarc: {
                step: number;
                label: string;
                p: string;
                percent: number;
                autopilot: boolean;
            };
            /** @description The key that signs now, and its age in days. */
            key: {
                selector: string;
                algorithm: string;
                origin: string;
                activatedAt: string | null;
                ageDays: number;
            } | null;
        };
        TenantSummary: {
            id: string;
            name: string;
            createdAt: string;
            domains: number;
            verifiedDomains: number;
            users: number;
        };
        Domain: {
            /** @example newsletter.example.com */
            name: string;
            /** @example k3j5q2m7x4ab */
            token: string;
            settings: components["schemas"]["DomainSettings"];
            verified: boolean;
            verifiedAt: string | null;
            createdAt: string;
            updatedAt: string;
        };
        DomainSettings: {
            /** @enum {string} */
            mode: "delegated" | "self-hosted";
            bounceLabel: string;
            clickLabel: string;
            tracking: boolean;
            spfMechanisms: string[];
            dkimSelectors: string[];
            ownDkimSelectors: {
                selector: string;
                record?: string;
            }[];
            /** @description Click and open tracking, bulk stream (RFC 8058 List-Unsubscribe), Feedback-ID parts; absent: all off. */
            sending?: {
                clicks: boolean;
                opens: boolean;
                bulk: boolean;
                feedbackId: string | null;
            };
        };
        DomainCreate: {
            /**
             * @description Unicode or A-labels.
             * @example newsletter.example.com
             */
            name: string;
            /**
             * @description delegated (CNAMEs into the platform zone) or self-hosted (literal records).
             * @enum {string}
             */
            mode?: "delegated" | "self-hosted";
            /** @description Label of the bounce (return-path) host under the domain. */
            bounceLabel?: string;
            /** @description Label of the click-tracking host under the domain. */
            clickLabel?: string;
            /** @description Plan the click host (clicks.<domain>): the host of click and open tracking and of one-click unsubscribe URLs. */
            tracking?: boolean;
            /** @description What the gateway adds to outgoing mail: click and open tracking, the bulk stream (RFC 8058 List-Unsubscribe), Feedback-ID. All off by default. */
            sending?: {
                /** @description Rewrite links to the click host for click tracking. Off by default. */
                clicks?: boolean;
                /** @description Add an open-tracking pixel to HTML parts. Off by default. */
                opens?: boolean;
                /** @description Bulk stream: add RFC 8058 one-click List-Unsubscribe when a message has none. Off by default. */
                bulk?: boolean;
                /** @description The a:b:c parts of the Feedback-ID field; the tenant is appended as the SenderId. Null: none. */
                feedbackId?: string | null;
            };
            /** @description Your own senders, added to the hosted SPF record. */
            spfMechanisms?: string[];
            /** @description Three selectors instead of the platform defaults. */
            dkimSelectors?: string[];
            /** @description Your own DKIM selectors: kept untouched, or hosted by senderd when a record is given. */
            ownDkimSelectors?: {
                selector: string;
                record?: string;
            }[];
        };
        DomainUpdate: {
            /**
             * @description delegated (CNAMEs into the platform zone) or self-hosted (literal records).
             * @enum {string}
             */
            mode?: "delegated" | "self-hosted";
            /** @description Label of the bounce (return-path) host under the domain. */
            bounceLabel?: string;
            /** @description Label of the click-tracking host under the domain. */
            clickLabel?: string;
            /** @description Plan the click host (clicks.<domain>): the host of click and open tracking and of one-click unsubscribe URLs. */
            tracking?: boolean;
            /** @description What the gateway adds to outgoing mail: click and open tracking, the bulk stream (RFC 8058 List-Unsubscribe), Feedback-ID. All off by default. */
            sending?: {
                /** @description Rewrite links to the click host for click tracking. Off by default. */
                clicks?: boolean;
                /** @description Add an open-tracking pixel to HTML parts. Off by default. */
                opens?: boolean;
                /** @description Bulk stream: add RFC 8058 one-click List-Unsubscribe when a message has none. Off by default. */
                bulk?: boolean;
                /** @description The a:b:c parts of the Feedback-ID field; the tenant is appended as the SenderId. Null: none. */
                feedbackId?: string | null;
            };
            /** @description Your own senders, added to the hosted SPF record. */
            spfMechanisms?: string[];
            /** @description Three selectors instead of the platform defaults. */
            dkimSelectors?: string[];
            /** @description Your own DKIM selectors: kept untouched, or hosted by senderd when a record is given. */
            ownDkimSelectors?: {
                selector: string;
                record?: string;
            }[];
        };
        RecordPlan: {
            domain: string;
            /** @enum {string} */
            mode: "delegated" | "self-hosted";
            token: string;
            /** @description The zone the customer most likely edits (the registrable domain). */
            zone: string;
            customer: components["schemas"]["PlannedRecord"][];
            /** @description Your own DKIM selectors, left as they are. */
            keptSelectors: string[];
            hosted: {
                name: string;
                /** @enum {string} */
                type: "CNAME" | "TXT" | "MX" | "A" | "AAAA";
                value: string;
                ttl: number;
                required: boolean;
                purpose: string;
                note: string;
            }[];
        };
        PlannedRecord: {
            name: string;
            /** @description The name relative to the zone the customer edits; @ for its apex. */
            host: string;
            /** @enum {string} */
            type: "CNAME" | "TXT" | "MX" | "A" | "AAAA";
            value: string;
            ttl: number;
            required: boolean;
            purpose: string;
            note: string;
        };
        DkimKey: {
            /** @example dk_m3k2q7x4ab5c6d7e */
            id: string;
            /** @example sd2 */
            selector: string;
            /** @enum {string} */
            algorithm: "rsa" | "ed25519";
            bits: number;
            /** @enum {string} */
            origin: "generated" | "imported";
            /** @enum {string} */
            state: "pending" | "active" | "retiring" | "retired" | "revoked";
            /** @description SHA-256 of the public key bytes, hex. */
            fingerprint: string;
            /** @description The p= value (public key only). */
            publicKey: string;
            /** @description The TXT value published for the key in its current state. */
            record: string;
            createdAt: string;
            activatedAt: string | null;
            retiringAt: string | null;
            retiredAt: string | null;
            revokedAt: string | null;
            visibleAt: string | null;
            activationOverride: boolean;
            revokeReason: string | null;
            warnings: string[];
        };
        DkimPolicy: {
            effective: {
                rotationPeriod: string;
                leadTime: string;
                overlap: string;
                retention: string;
                agingThreshold: string;
                ed25519: boolean;
                rsaBits: number;
            };
            overrides: {
                rotationPeriod?: string;
                leadTime?: string;
                overlap?: string;
                retention?: string;
                agingThreshold?: string;
                ed25519?: boolean;
                rsaBits?: number;
            };
        };
        /** @description Per-domain overrides; null clears one. */
        DkimPolicyInput: {
            rotationPeriod?: string | null;
            leadTime?: string | null;
            overlap?: string | null;
            retention?: string | null;
            agingThreshold?: string | null;
            ed25519?: boolean | null;
            rsaBits?: 2048 | 3072 | 4096 | null;
        };
        Event: {
            id: string;
            /** @example dkim.key.activated */
            type: string;
            /** @enum {string} */
            severity: "info" | "warning" | "critical";
            at: string;
            domainId: string | null;
            message: string;
            data: {
                [key: string]: unknown;
            };
        };
        Notifications: {
            webhookUrl: string | null;
            webhookSecretSet: boolean;
            emailTo: string[];
            /** @enum {string} */
            minSeverity: "info" | "warning" | "critical";
            /** @description Only in the answer that created it: store it now. */
            webhookSecret?: string;
        };
        Delivery: {
            id: string;
            eventId: string;
            /** @example notifications.test */
            eventType: string;
            /** @enum {string} */
            channel: "webhook" | "email";
            /** @description The webhook URL, or the e-mail recipients separated by commas. */
            target: string;
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            /** @description Why the last attempt failed, if it did. */
            lastError: string | null;
            nextAttemptAt: string;
            deliveredAt: string | null;
            createdAt: string;
        };
        DmarcPolicyView: {
            domain: string;
            step: components["schemas"]["DmarcStep"];
            /** @description The _dmarc record published now. */
            record: string;
            readings: {
                /** @description What an RFC 7489 receiver applies (pct sampling). */
                rfc7489: {
                    /** @enum {string} */
                    published: "none" | "quarantine" | "reject";
                    /** @enum {string} */
                    applied: "none" | "quarantine" | "reject";
                    percent: number;
                    testMode: boolean;
                } | null;
                /** @description What an RFC 9989 receiver applies (t= test mode). */
                rfc9989: {
                    /** @enum {string} */
                    published: "none" | "quarantine" | "reject";
                    /** @enum {string} */
                    applied: "none" | "quarantine" | "reject";
                    percent: number;
                    testMode: boolean;
                } | null;
            };
            policy: {
                step: number;
                /** @enum {string} */
                sp?: "none" | "quarantine" | "reject";
                /** @enum {string} */
                np?: "none" | "quarantine" | "reject";
                /** @enum {string} */
                adkim: "r" | "s";
                /** @enum {string} */
                aspf: "r" | "s";
                /** @enum {string} */
                fo?: "0" | "1" | "d" | "s";
                extraRua: string[];
                ruf: string[];
                bimi?: {
                    location: string;
                    authority?: string;
                };
            };
            bimi: {
                configured: boolean;
                published: boolean;
                record: string | null;
            };
            autopilot: {
                [key: string]: unknown;
            };
            schedule: {
                at: string;
                step: number;
            }[];
            ladder: components["schemas"]["DmarcStep"][];
            decisions: components["schemas"]["DmarcDecision"][];
        };
        DmarcStep: {
            index: number;
            /** @enum {string} */
            p: "none" | "quarantine" | "reject";
            percent: number;
            pct?: number;
            /** @enum {string} */
            t?: "y" | "n";
            /** @example quarantine 5% */
            label: string;
        };
        DmarcDecision: {
            id: string;
            at: string;
            /** @enum {string} */
            actor: "user" | "schedule" | "autopilot";
            /** @enum {string} */
            action: "advance" | "hold" | "rollback" | "set" | "idle";
            fromStep: number;
            toStep: number;
            reason: string;
            checks: {
                name: string;
                ok: boolean;
                value: number;
                threshold: number;
                explanation: string;
            }[];
        };
        DmarcPolicyInput: {
            /**
             * @description Policy for existing subdomains; null to follow p.
             * @enum {string|null}
             */
            sp?: "none" | "quarantine" | "reject" | null;
            /**
             * @description Policy for non-existent subdomains (RFC 9989); null to leave out.
             * @enum {string|null}
             */
            np?: "none" | "quarantine" | "reject" | null;
            /**
             * @description DKIM alignment: relaxed or strict.
             * @enum {string}
             */
            adkim?: "r" | "s";
            /**
             * @description SPF alignment: relaxed or strict.
             * @enum {string}
             */
            aspf?: "r" | "s";
            /**
             * @description Failure reporting options (with ruf).
             * @enum {string}
             */
            fo?: "0" | "1" | "d" | "s";
            /** @description Third-party aggregate report addresses; each must authorise receiving. */
            extraRua?: string[];
            /** @description Failure report addresses: only on request, they carry personal data. */
            ruf?: string[];
            /** @description BIMI logo; published only while the policy is enforced. */
            bimi?: {
                /** @description SVG Tiny PS logo. */
                location: string;
                /** @description VMC/CMC certificate. */
                authority?: string;
            } | null;
            autopilot?: {
                enabled?: boolean;
                windowDays?: number;
                minPlatformPass?: number;
                minCompliantShare?: number;
                minMessages?: number;
                minReporters?: number;
                maxUnknownShare?: number;
                targetStep?: number;
                rollbackDays?: number;
            };
            /** @description Dated steps: on each date, the ladder is set to that step. */
            schedule?: {
                /** Format: date-time */
                at: string;
                step: number;
            }[];
        };
        DmarcStepInput: {
            to: number | ("forward" | "back");
            reason?: string;
            /** @description Step up although it is several steps at once, legitimate-looking mail failed DMARC in the last 14 days, or the domain is not verified. Without it such a step is refused with 409 confirmation_required, each reason in details. */
            force?: boolean;
        };
        DmarcImpact: {
            step: number;
            label: string;
            from: string;
            to: string;
            messages: number;
            failing: number;
            rfc7489: {
                none: number;
                quarantine: number;
                reject: number;
            };
            rfc9989: {
                none: number;
                quarantine: number;
                reject: number;
            };
            reportsAvailable: boolean;
            sources: {
                ip: string;
                /** @enum {string} */
                class: "platform" | "forwarder" | "unknown";
                reverseName: string | null;
                failing: number;
                rfc7489: {
                    none: number;
                    quarantine: number;
                    reject: number;
                };
                rfc9989: {
                    none: number;
                    quarantine: number;
                    reject: number;
                };
            }[];
        };
        DomainCheck: {
            domain: string;
            mode: string;
            checkedAt: string;
            /**
             * @description perfect: as planned; ok: works, with a remark; error: does not work; temperror: could not be checked now.
             * @enum {string}
             */
            grade: "perfect" | "ok" | "error" | "temperror";
            verification: {
                verified: boolean;
                evidence: string | null;
            };
            zone: {
                apex: string | null;
                nameservers: {
                    name: string;
                    address: string;
                    /** @enum {string} */
                    status: "ok" | "lame" | "timeout" | "servfail" | "failure";
                    /** @description The zone's SOA serial this server gives (absent in checks stored before 0.2). */
                    serial?: number | null;
                }[];
                remarks: components["schemas"]["CheckRemark"][];
            };
            records: {
                /** @example dkim:sd1 */
                key: string;
                name: string;
                type: string;
                purpose: string;
                required: boolean;
                expected: string;
                /**
                 * @description perfect: as planned; ok: works, with a remark; error: does not work; temperror: could not be checked now.
                 * @enum {string}
                 */
                grade: "perfect" | "ok" | "error" | "temperror";
                remarks: components["schemas"]["CheckRemark"][];
                observed: components["schemas"]["CheckObservation"][];
            }[];
            stats: {
                queries: number;
                ms: number;
            };
        };
        CheckRemark: {
            /**
             * @description Stable code, listed in docs/checks.md.
             * @example cname-flattened
             */
            code: string;
            /** @enum {string} */
            severity: "note" | "warning" | "error" | "temperror";
            message: string;
        };
        CheckObservation: {
            /** @enum {string} */
            path: "authoritative" | "recursive";
            server: string;
            name: string;
            type: string;
            value: string | null;
            /** @description TTL in the answer; from a resolver, the TTL left. */
            ttl: number | null;
        };
        DnsApplyResult: {
            zone: string;
            items: {
                /** @enum {string} */
                action: "add" | "replace" | "unchanged" | "conflict";
                name: string;
                type: string;
                value: string;
                current: string | null;
                reason: string | null;
            }[];
            /** @enum {string} */
            sent: "dry-run" | "nothing-to-do" | "sent";
            outcome: {
                /** @enum {string} */
                kind: "applied" | "refused" | "failure";
                rcode?: string;
                tsigError?: string | null;
                reason?: string;
            } | null;
            message: string;
            checkGrade: string | null;
        };
        DnsApplyRequest: {
            /**
             * @description HOST[:PORT] of the zone's primary server, which accepts dynamic updates.
             * @example ns1.example.com:53
             */
            server: string;
            tsigKey?: {
                name: string;
                /** @example hmac-sha256 */
                algorithm: string;
                /** @description Base64. Used for this request only: never stored, logged or returned. */
                secret: string;
            } | null;
            /** @description Show the difference; send nothing. */
            dryRun?: boolean;
        };
        DomainConnectOffer: {
            /** @enum {string} */
            kind: "available" | "unavailable";
            provider?: string;
            apex?: string;
            host?: string;
            /** @description The signed link to the DNS provider's consent page. */
            applyUrl?: string;
            /** @description Why not: the wizard falls back to copying the records. */
            reason?: string;
        };
        SmtpCredential: {
            id: string;
            username: string;
            name: string;
            createdAt: string;
            lastUsedAt: string | null;
            revokedAt: string | null;
        };
        Message: {
            /** @example abcdefghijklmnopqrst */
            id: string;
            senderDomain: string | null;
            headerFrom: string;
            submittedMailFrom: string;
            recipients: {
                address: string;
                envelopeFrom: string;
            }[];
            signatures: {
                signingDomain: string;
                selector: string;
                /** @enum {string} */
                algorithm: "rsa-sha256" | "ed25519-sha256";
                keyId: string;
            }[];
            signingDecision: string;
            clientAddress: string;
            credential: string | null;
            size: number;
            acceptedAt: string;
            /** @enum {string} */
            status: "queued" | "delivered" | "bounced" | "partially-bounced";
            updatedAt: string;
        };
        DeliveryAttempt: {
            recipient: string;
            at: string;
            /** @enum {string} */
            status: "delivered" | "deferred" | "bounced" | "expired";
            code: number;
            reply: string;
            host: string;
            tls: boolean;
        };
        Suppression: {
            /** @example reader@example.com */
            address: string;
            /** @enum {string} */
            reason: "hard-bounce" | "soft-bounce" | "manual" | "complaint" | "unsubscribe";
            /** @enum {string} */
            source: "bounce" | "api" | "cli" | "import" | "complaint" | "mailto" | "one-click";
            /** @description The receiver's reply for a bounce; the feedback report's fields for a complaint; how an unsubscribe arrived; the note of a person. */
            evidence: string;
            messageId: string | null;
            createdAt: string;
            expiresAt: string | null;
            createdBy: string;
            /**
             * @description The one sender domain (A-labels) whose mail the entry stops; null: every sender domain of the tenant.
             * @example null
             */
            domain: string | null;
        };
        SuppressionAudit: {
            address: string;
            /** @enum {string} */
            action: "added" | "removed";
            /** @enum {string|null} */
            reason: "hard-bounce" | "soft-bounce" | "manual" | "complaint" | "unsubscribe" | null;
            at: string;
            actor: string;
            why: string;
            /** @description The entry's sender domain; null: the whole tenant. */
            domain: string | null;
        };
        SuppressionSettings: {
            /**
             * @description refuse: the gateway refuses a suppressed recipient at RCPT with a reply naming the reason (the default); drop: it accepts it, sends nothing to it and emits gateway.recipient.dropped.
             * @enum {string}
             */
            action: "refuse" | "drop";
        };
        DomainFigures: {
            domain: string;
            /** @description Deliveries a day needs before its complaint rate counts (suppression.complaintRateMinimumDelivered). */
            minimumDelivered: number;
            /**
             * @example [
             *       0.001,
             *       0.003
             *     ]
             */
            thresholds: number[];
            /** @description Oldest first; days with no mail and no feedback are left out. */
            days: components["schemas"]["DomainDayFigures"][];
        };
        DomainDayFigures: {
            /**
             * @description The UTC day.
             * @example 2026-12-07
             */
            day: string;
            /** @description Recipients of the messages the gateway accepted that day. */
            sent: number;
            /** @description Deliveries the next hop accepted that day. */
            delivered: number;
            bounced: {
                hard: number;
                soft: number;
                block: number;
                unknown: number;
            };
            /** @description Complaints from feedback loops (ARF) about that day’s mail. */
            complaints: number;
            /** @description Unsubscribes by mail (the List-Unsubscribe mailto address). */
            unsubscribes: number;
            /** @description complaints / delivered; null on a day with fewer deliveries than minimumDelivered. */
            complaintRate: number | null;
        };
        ReportSummary: {
            domain: string;
            window: components["schemas"]["ReportWindow"];
            totals: {
                reports: number;
                messages: number;
                dmarcPass: number;
                dkimAligned: number;
                spfAligned: number;
                dispositionNone: number;
                dispositionQuarantine: number;
                dispositionReject: number;
                tlsSuccessful: number;
                tlsFailed: number;
                failureReports: number;
            };
            daily: {
                day: string;
                reports: number;
                messages: number;
                dmarcPass: number;
                dkimAligned: number;
                spfAligned: number;
                dispositionNone: number;
                dispositionQuarantine: number;
                dispositionReject: number;
                tlsSuccessful: number;
                tlsFailed: number;
                failureReports: number;
            }[];
            /** @description `daily` summed per `window.bucket`; `day` is the first day of each bucket. */
            series: {
                day: string;
                reports: number;
                messages: number;
                dmarcPass: number;
                dkimAligned: number;
                spfAligned: number;
                dispositionNone: number;
                dispositionQuarantine: number;
                dispositionReject: number;
                tlsSuccessful: number;
                tlsFailed: number;
                failureReports: number;
            }[];
        };
        ReportWindow: {
            from: string;
            to: string;
            days: number;
            /**
             * @description cover: by the day reports cover; arrival: by the day they were stored.
             * @enum {string}
             */
            basis: "cover" | "arrival";
            /**
             * @description The width of one `series` row: longer windows are summed by week or month.
             * @enum {string}
             */
            bucket: "day" | "week" | "month";
        };
        ReportSource: {
            sourceIp: string;
            ptr: string | null;
            ptrVerified: boolean;
            /** @enum {string} */
            class: "platform" | "forwarder" | "unknown";
            messages: number;
            dmarcPass: number;
            dkimAligned: number;
            spfAligned: number;
            dispositionQuarantine: number;
            dispositionReject: number;
            days: number;
            sender: components["schemas"]["NamedSender"];
        };
        /** @description The service this source is (null for the platform’s own addresses). */
        NamedSender: {
            /** @description null: no catalogue service matched, or two matched equally. */
            service: {
                id: string;
                /** @example Zendesk */
                name: string;
                /** @enum {string} */
                category: "mailbox" | "esp" | "marketing" | "crm" | "ticketing" | "invoicing" | "commerce";
                /** @description The service's documentation the identification follows. */
                source: string;
            } | null;
            /**
             * @description strong: a forward-confirmed reverse name, or a passing signature or envelope of the service’s own domains.
             * @enum {string|null}
             */
            confidence: "strong" | "weak" | null;
            /** @description The evidence that named it. */
            matchedBy: string[];
            /**
             * @description How many of the source’s messages passed DMARC: all, some or none.
             * @enum {string}
             */
            dmarc: "all" | "some" | "none";
            /** @enum {string} */
            dkimAligned: "all" | "some" | "none";
            /** @enum {string} */
            spfAligned: "all" | "some" | "none";
            /** @description null when the source passes, or is not named. */
            fix: {
                /** @enum {string} */
                kind: "spf-include" | "dkim-cname" | "dkim-txt" | "service-setup";
                /** @description The one change to make, in a sentence. */
                action: string;
                mechanism: string | null;
                records: {
                    /** @enum {string} */
                    type: "CNAME" | "TXT";
                    name: string;
                    value: string;
                }[];
                source: string;
            } | null;
            /** @description A caution about the fix: the address is also a known forwarder (reports.knownForwarders). */
            note: string | null;
        } | null;
        ReportSelector: {
            signingDomain: string;
            selector: string;
            messages: number;
            pass: number;
            fail: number;
            firstDay: string;
            lastDay: string;
        };
        Report: {
            id: string;
            /** @enum {string} */
            kind: "aggregate" | "tlsrpt" | "failure";
            reporter: string;
            orgName: string;
            externalId: string;
            policyDomain: string;
            begin: string;
            end: string;
            day: string;
            receivedAt: string;
            via: string;
            records: number;
            messages: number;
            /** @enum {string} */
            trust: "dkim" | "fcrdns" | "operator" | "unverified" | "legacy";
            trustReason: string | null;
            verifiedDomain: string | null;
        };
        Reporter: {
            reporter: string;
            reports: number;
            messages: number;
            dmarcPass: number;
            duplicates: number;
            malformed: number;
            late: number;
            firstDay: string | null;
            lastDay: string | null;
            silent: boolean;
            /** @description Who really sent the reports: verified by DKIM, forward-confirmed reverse DNS or an operator; unverified reports prove nothing and the autopilot ignores them (docs/reports.md). */
            verification: {
                /** @enum {string} */
                status: "verified" | "unverified" | "legacy" | "mixed" | "none";
                verified: number;
                unverified: number;
                legacy: number;
                verifiedAs: string[];
                unverifiedReason: string | null;
            };
        };
        QuarantineEntry: {
            id: string;
            receivedAt: string;
            via: string;
            reason: string;
            message: string;
            path: string;
            reporter: string | null;
            externalId: string | null;
            policyDomain: string | null;
            rawBytes: number;
            rawKept: number;
            rawSha256: string;
        };
        IngestOutcome: {
            /** @enum {string} */
            status: "stored" | "duplicate" | "quarantined";
            kind?: string;
            id?: string;
            domain?: string;
            reporter?: string | null;
            reportId?: string | null;
            records?: number;
            messages?: number;
            reason?: string;
            message?: string;
            quarantineId?: string;
            /** @enum {string} */
            trust?: "dkim" | "fcrdns" | "operator" | "unverified" | "legacy";
            trustReason?: string;
            replaced?: string;
            path: string;
        };
        DomainEdgeStatus: {
            domain: string;
            hosts: components["schemas"]["EdgeHostStatus"][];
        };
        EdgeHostStatus: {
            /** @example clicks.example.com */
            hostname: string;
            /**
             * @description What the host is for: click (clicks.<domain>), mta-sts (mta-sts.<domain>, RFC 8461).
             * @example click
             */
            role: string;
            /**
             * @description waiting: no order yet (the domain is not verified, or the CNAME is not seen yet; see reason). pending: an order is under way or due. issued: a valid certificate. renewing: valid, past two thirds of its lifetime, renewal under way or due. failed: the last order failed (lastError has the CA’s words; nextAttemptAt the next try). expired: the certificate is past notAfter and no new one came.
             * @enum {string}
             */
            status: "waiting" | "pending" | "issued" | "renewing" | "failed" | "expired";
            /** @description A sentence for a person: why, and what happens next. */
            reason: string;
            certificate: {
                /** @example 4476F7D376D11CA8 */
                serial: string;
                /** @example CN=R11, O=Let's Encrypt, C=US */
                issuer: string;
                notBefore: string;
                notAfter: string;
                /** @description Two thirds of the lifetime after it was issued. */
                renewAt: string;
                /** @description SHA-256 of the certificate, colon-separated hex. */
                fingerprint: string;
            } | null;
            orderStartedAt: string | null;
            lastError: {
                /** @description The CA’s error text, or what failed on the way to the CA. */
                message: string;
                at: string;
            } | null;
            /** @description Failed orders in a row; the back-off doubles with each. */
            attempts: number;
            nextAttemptAt: string | null;
        };
        MtaSts: {
            domain: string;
            enabled: boolean;
            /** @enum {string|null} */
            mode: "testing" | "enforce" | "none" | null;
            /** @description The mx: patterns of the policy. */
            mx: string[];
            /** @example mta-sts.example.com */
            policyHost: string;
            /** @example https://mta-sts.example.com/.well-known/mta-sts.txt */
            policyUrl: string;
            /** @description The id in _mta-sts (RFC 8461 §3.1). */
            policyId: string | null;
            maxAge: number | null;
            /** @description The policy text as served (CRLF line ends). */
            policy: string | null;
            /** @description The MX hosts the last look-up found. */
            checkedMx: string[];
            checkedAt: string | null;
            /** @description MX hosts no pattern covers: enforce is refused while there are any. */
            uncoveredMx: string[];
        };
        MtaStsEnableInput: {
            /** @description mx: patterns (host names or *.domain); default: the MX hosts in the DNS now. */
            mx?: string[];
        };
        MtaStsModeInput: {
            /** @enum {string} */
            mode: "testing" | "enforce" | "none";
            /** @description Enforce although the TLS reports of the last days show failed sessions or there are none. An MX host outside the policy is refused all the same. */
            force?: boolean;
        };
        BimiLogo: {
            domain: string;
            /** @description The edge host the logo is served from. */
            host: string | null;
            logo: {
                sha256: string;
                bytes: number;
                uploadedAt: string;
            } | null;
            /**
             * @description The l= of the BIMI record (published while the DMARC policy is enforced).
             * @example https://clicks.example.com/bimi/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.svg
             */
            url: string | null;
        };
        AlertSettings: {
            enabled: boolean;
            /** @description Kinds switched off one by one. */
            disabled: ("source.new" | "source.failing" | "dmarc.pass-rate-dropped" | "reporter.silent" | "dkim.selector-failing" | "reconciliation.excess")[];
            /** @description A DMARC pass rate this many points below normal. */
            passRateDropPoints: number;
            /** @description Days with fewer messages are not judged. */
            minDailyMessages: number;
            /** @description Sources with fewer messages a day are noise. */
            minSourceMessages: number;
            /** @description Days in a row a condition must hold. */
            confirmDays: number;
            silentDays: number;
            baselineDays: number;
            /** @enum {string} */
            digest: "off" | "daily" | "weekly";
        };
        AlertSettingsInput: {
            enabled?: boolean;
            disabled?: ("source.new" | "source.failing" | "dmarc.pass-rate-dropped" | "reporter.silent" | "dkim.selector-failing" | "reconciliation.excess")[];
            passRateDropPoints?: number;
            minDailyMessages?: number;
            minSourceMessages?: number;
            confirmDays?: number;
            silentDays?: number;
            baselineDays?: number;
            /** @enum {string} */
            digest?: "off" | "daily" | "weekly";
        };
        Reconciliation: {
            domain: string;
            from: string;
            to: string;
            rows: {
                day: string;
                /** @example google.com */
                receiver: string;
                recipientDomains: string[];
                reporters: string[];
                /** @description Messages the gateway delivered to this receiver. */
                sent: number;
                /** @description Messages its reports counted from the platform's addresses as this domain. */
                seen: number;
                coveragePercent: number | null;
                excess: number;
                /** @description More seen than sent, beyond the day-boundary tolerance. */
                alarm: boolean;
                dmarcPass: number;
                dkim: {
                    messages: number;
                    pass: number;
                    fail: number;
                    failPercent: number;
                    signingDomain: string;
                    selector: string;
                }[];
                spf: {
                    messages: number;
                    pass: number;
                    fail: number;
                    failPercent: number;
                };
            }[];
            totals: {
                sent: number;
                seen: number;
                coveragePercent: number | null;
                alarms: number;
                dkim: {
                    messages: number;
                    pass: number;
                    fail: number;
                    failPercent: number;
                    signingDomain: string;
                    selector: string;
                }[];
                spf: {
                    messages: number;
                    pass: number;
                    fail: number;
                    failPercent: number;
                };
            };
        };
        TrackingFigures: {
            domain: string;
            from: string;
            to: string;
            totals: {
                delivered: number;
                opens: components["schemas"]["TrackingByClass"];
                clicks: components["schemas"]["TrackingByClass"];
            };
            days: components["schemas"]["TrackingDay"][];
            links: components["schemas"]["TrackingLink"][];
        };
        /** @description Counts by class: human (a person), privacy-proxy (Apple Mail Privacy Protection, Gmail and Yahoo image proxies: fetched whether or not anyone reads), scanner (link scanners: known user agents, a click within seconds of delivery, many links at once). */
        TrackingByClass: {
            human: number;
            "privacy-proxy": number;
            scanner: number;
        };
        TrackingDay: {
            /** @example 2026-12-01 */
            day: string;
            /** @description Recipients delivered that day (the gateway’s attempts). */
            delivered: number;
            opens: components["schemas"]["TrackingByClass"];
            clicks: components["schemas"]["TrackingByClass"];
        };
        TrackingLink: {
            url: string;
            /** @description The link’s position in the message (0 first); null over a domain. */
            linkIndex: number | null;
            unique: components["schemas"]["TrackingByClass"];
            /** @description Every click by a person, repeated ones included. */
            humanClicks: number;
        };
        TrackingEvent: {
            id: number;
            /** @enum {string} */
            kind: "open" | "click";
            messageId: string;
            recipientIndex: number;
            linkIndex: number;
            url: string;
            at: string;
            /** @description The client’s /24 or /48 network: addresses are truncated before storage. */
            clientNetwork: string;
            userAgent: string;
            /** @enum {string} */
            class: "human" | "privacy-proxy" | "scanner";
            /** @description The classifier rule that decided; none for a person. */
            rule: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
