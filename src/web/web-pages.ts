import fastifyStatic from '@fastify/static';
import helmet, { HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The web pages: plain HTML, ES modules and CSS from public/, no build step. Found beside the
 * sources (src/web → ../../public) and beside the compiled code (dist/src/web → ../../../public).
 */
export const PUBLIC_DIR = [join(__dirname, '..', '..', 'public'), join(__dirname, '..', '..', '..', 'public')].find((dir) =>
  existsSync(join(dir, 'index.html')),
);

/** Every answer, the pages included: scripts, styles and requests from this origin only, no inline code. */
export const STRICT_CSP = {
  defaultSrc: [`'self'`],
  scriptSrc: [`'self'`],
  styleSrc: [`'self'`],
  imgSrc: [`'self'`, 'data:'],
  connectSrc: [`'self'`],
  objectSrc: [`'none'`],
  baseUri: [`'self'`],
  formAction: [`'self'`],
  frameAncestors: [`'none'`],
};

/** Swagger UI and the queue dashboard run inline scripts and styles of their own. */
const TOOLS_CSP = {
  defaultSrc: [`'self'`],
  styleSrc: [`'self'`, `'unsafe-inline'`],
  imgSrc: [`'self'`, 'data:', 'validator.swagger.io'],
  scriptSrc: [`'self'`, `https: 'unsafe-inline'`],
};
const TOOLS_PREFIXES = ['/docs', '/admin/queues'];

/**
 * Helmet's security headers on every answer: the strict policy, and the relaxed one on the routes
 * of Swagger UI and the queue dashboard. None of them depends on the request, so helmet computes
 * each policy's headers once, at start, and one hook hands them to Fastify's reply. (Helmet's
 * middleware on every request set them one by one on the raw response, which Node checks and
 * Fastify copies again: about 2.5 % of the wishlist's CPU. @fastify/helmet, used before that, rebuilt
 * the middleware on every request: about 5 %.)
 */
export function registerSecurityHeaders(app: NestFastifyApplication): void {
  const strict = helmetHeaders({ contentSecurityPolicy: { directives: STRICT_CSP } });
  const tools = helmetHeaders({ contentSecurityPolicy: { directives: TOOLS_CSP } });
  const fastify = app.getHttpAdapter().getInstance();
  const isTool = (url: string | undefined) => url !== undefined && TOOLS_PREFIXES.some((prefix) => url.startsWith(prefix));
  fastify.addHook('onRequest', function securityHeaders(request, reply, done) {
    void reply.headers(isTool(request.routeOptions.url) ? tools : strict);
    done();
  });
}

/** The headers helmet's middleware sets for these options, collected from one run of it on a stand-in response. */
export function helmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // Helmet runs synchronously; a version that did not (or that read the request) would need the middleware back.
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be computed once');
  return Object.freeze(headers);
}

/** Serves public/ at /: one route per file (no catch-all, so unknown paths keep the API's 404). */
export async function registerWebPages(app: NestFastifyApplication): Promise<void> {
  if (!PUBLIC_DIR) throw new Error('public/index.html not found: the web pages are missing from this build');
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: '/',
    wildcard: false,
    index: 'index.html',
    // The files change with each release; browsers check back instead of keeping stale scripts.
    cacheControl: true,
    maxAge: 0,
  });
}
