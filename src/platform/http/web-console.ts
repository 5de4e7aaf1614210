import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { HttpServer } from './http-server.js';

/** Where `npm run build` (vite build web) writes the officer console. */
export const defaultConsoleDir = join(dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

export interface WebConsoleOptions {
  /** The built console; defaults to web/dist at the repository root. */
  root?: string;
}

/**
 * Serves the officer console (a single-page app) at `/`, same origin as the API so that the session
 * cookie and the CSRF header work without CORS. Paths that are not files and not under /api answer
 * index.html so that deep links (/parcels/42) survive a reload; unknown /api paths keep the API's 404.
 * When the console was not built the server still runs and `/` says how to build it.
 */
export async function registerWebConsole(app: HttpServer, options: WebConsoleOptions = {}): Promise<void> {
  const root = options.root ?? defaultConsoleDir;
  const built = existsSync(join(root, 'index.html'));

  if (!built) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The officer console is not built: run `npm run build`, then restart.'),
    );
    return;
  }

  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // One route per built file, found at start-up: the catch-all below then only sees unknown paths.
    wildcard: false,
    // The build writes .br and .gz beside each asset; browsers that accept them get those.
    preCompressed: true,
    setHeaders(reply: { header(name: string, value: string): unknown }, path: string) {
      // Vite puts a content hash in every asset name, so assets never change; index.html must be revalidated.
      reply.header(
        'cache-control',
        /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (path.startsWith('/api/') || path === '/api' || /\.[a-z0-9]{1,8}$/i.test(path))
      return reply.callNotFound();
    // The consumers' portal is an app of its own (web/my), installable with its own manifest and scope.
    if (path === '/my' || path.startsWith('/my/')) return reply.sendFile('my/index.html');
    return reply.sendFile('index.html');
  });
}
