import type { validatorCompiler } from 'fastify-type-provider-zod';
import { checkedValidatorCompiler } from './checked-validator.js';

/**
 * Route-level validator compiler for routes whose body the service validates itself: the zod body schema
 * still goes into the OpenAPI document, but Fastify passes the body through untouched, so that errors
 * carry the module's field paths, rule names and line numbers, and a document with some bad records
 * keeps its good ones. Other parts (params, query, headers) are validated as usual.
 */
export const serviceValidatesBody = ((route: Parameters<typeof validatorCompiler>[0]) =>
  route.httpPart === 'body'
    ? (data: unknown) => ({ value: data })
    : checkedValidatorCompiler(route)) as never;

/** One header value (the first, when a client repeats the header). */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
