/**
 * The console's only door to the server. Same origin, so the session cookie travels by itself; the
 * CSRF token (from the login answer) goes in a header on every state-changing request. Where the
 * server has no officer login yet, an API key is sent as a bearer token instead.
 */

export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    requestId?: string;
    fieldErrors?: { path: string; message: string }[];
  };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** The server has no such endpoint: pages show "not available on this server" instead of failing. */
export class EndpointUnavailable extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
  ) {
    super(`${method} ${path} is not available on this server`);
  }
}

const API_KEY_STORAGE = 'clearway.apiKey';
const CSRF_STORAGE = 'clearway.csrf';

let apiKey: string | null = sessionStorage.getItem(API_KEY_STORAGE);
let csrfToken: string | null = sessionStorage.getItem(CSRF_STORAGE);
let onUnauthenticated: () => void = () => undefined;

export function setCredentials(credentials: { apiKey?: string | null; csrfToken?: string | null }): void {
  if (credentials.apiKey !== undefined) {
    apiKey = credentials.apiKey;
    if (apiKey) sessionStorage.setItem(API_KEY_STORAGE, apiKey);
    else sessionStorage.removeItem(API_KEY_STORAGE);
  }
  if (credentials.csrfToken !== undefined) {
    csrfToken = credentials.csrfToken;
    if (csrfToken) sessionStorage.setItem(CSRF_STORAGE, csrfToken);
    else sessionStorage.removeItem(CSRF_STORAGE);
  }
}

export function hasApiKey(): boolean {
  return apiKey !== null;
}

export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

// ---- Capabilities: which endpoints this server has, read once from its OpenAPI document ----

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
let capabilityPaths: Map<string, Set<string>> | null = null;
let capabilityLoad: Promise<void> | null = null;

/** OpenAPI paths use `{id}`; the client passes templates the same way. */
export async function loadCapabilities(): Promise<void> {
  capabilityLoad ??= fetch('/api/openapi.json', { headers: { accept: 'application/json' } })
    .then((response) => (response.ok ? response.json() : { paths: {} }))
    .then((document: { paths?: Record<string, Record<string, unknown>> }) => {
      capabilityPaths = new Map(
        Object.entries(document.paths ?? {}).map(([path, methods]) => [path, new Set(Object.keys(methods))]),
      );
    })
    .catch(() => {
      capabilityPaths = new Map();
    });
  return capabilityLoad;
}

export function hasEndpoint(method: Method, pathTemplate: string): boolean {
  return capabilityPaths?.get(pathTemplate)?.has(method) ?? false;
}

export function fillPath(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) =>
    encodeURIComponent(String(params[name] ?? '')),
  );
}

export interface RequestOptions {
  params?: Record<string, string | number>;
  query?: Record<string, string | number | undefined | null>;
  body?: unknown;
  /** A body sent as it is (a CSV file), instead of `body` as JSON. */
  rawBody?: { content: string; type: string };
  signal?: AbortSignal;
}

/** Calls an endpoint by its OpenAPI template; throws EndpointUnavailable when the server lacks it. */
export async function api<T>(method: Method, template: string, options: RequestOptions = {}): Promise<T> {
  await loadCapabilities();
  if (!hasEndpoint(method, template)) throw new EndpointUnavailable(method.toUpperCase(), template);
  return request<T>(method, fillPath(template, options.params), options);
}

/** A request to a known path without the capability check (login, me). */
export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  }
  const url = query.size > 0 ? `${path}?${query}` : path;
  // The server writes reasons and messages in the console's language (set on <html lang> by i18n).
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': document.documentElement.lang || 'en',
  };
  if (options.rawBody) headers['content-type'] = options.rawBody.type;
  else if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  const csrf = csrfFromCookie() ?? csrfToken;
  if (csrf && method !== 'get') headers['x-csrf-token'] = csrf;

  const response = await fetch(url, {
    method: method.toUpperCase(),
    headers,
    body: options.rawBody
      ? options.rawBody.content
      : options.body === undefined
        ? undefined
        : JSON.stringify(options.body),
    credentials: 'same-origin',
    signal: options.signal,
  });
  const text = await response.text();
  const payload: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (payload as ApiErrorBody | undefined)?.error;
    if (response.status === 401) onUnauthenticated();
    throw new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? response.statusText,
      error?.fieldErrors ?? [],
    );
  }
  return payload as T;
}

/** An image or other binary answer, as an object URL (an <img> cannot send the API key header). */
export async function requestObjectUrl(path: string, signal?: AbortSignal): Promise<string> {
  const headers: Record<string, string> = {};
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  const response = await fetch(path, { headers, credentials: 'same-origin', signal });
  if (!response.ok) {
    if (response.status === 401) onUnauthenticated();
    throw new ApiError(response.status, `http_${response.status}`, response.statusText);
  }
  return URL.createObjectURL(await response.blob());
}

/** The server also puts the CSRF token in a readable cookie, which survives a reload of the page. */
function csrfFromCookie(): string | null {
  const match = /(?:^|;\s*)clearway_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
