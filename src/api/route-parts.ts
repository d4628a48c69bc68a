/**
 * The pieces every route definition is built from: JSON content, documented responses and errors, and who may
 * call. One set, so that every route documents itself the same way in /openapi.json.
 */
import type { z } from '@hono/zod-openapi';
import { ErrorSchema } from './schemas.ts';

/** A JSON body of the given schema, as a request body's or a response's `content`. */
export const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

/** A documented response with a JSON body. */
export const response = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: json(schema),
});

/** A documented error response: the one error shape of src/api/app.ts. */
export const error = (description: string) => response(ErrorSchema, description);

type Security = Array<Record<string, string[]>>;

// Shared between routes: app.ts replaces a route's list when it widens it, and never edits one in place.
/** Called with an API key; app.ts lets a dashboard session call every such route too. */
export const API_KEY: Security = [{ apiKey: [] }];
/** Called with a dashboard session only. */
export const SESSION: Security = [{ session: [] }];
/** Called with either, documented as such from the start. */
export const API_KEY_OR_SESSION: Security = [{ apiKey: [] }, { session: [] }];
