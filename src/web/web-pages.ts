import fastifyStatic from '@fastify/static';
import helmet from 'helmet';
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
 * of Swagger UI and the queue dashboard. Helmet's middleware is built once per policy and applied
 * in one hook. (@fastify/helmet, used before, rebuilt it on every request, parsing the policy
 * again each time: about 5 % of the wishlist's CPU.)
 */
export function registerSecurityHeaders(app: NestFastifyApplication): void {
  const strict = helmet({ contentSecurityPolicy: { directives: STRICT_CSP } });
  const tools = helmet({ contentSecurityPolicy: { directives: TOOLS_CSP } });
  const fastify = app.getHttpAdapter().getInstance();
  const isTool = (url: string | undefined) => url !== undefined && TOOLS_PREFIXES.some((prefix) => url.startsWith(prefix));
  fastify.addHook('onRequest', function securityHeaders(request, reply, done) {
    (isTool(request.routeOptions.url) ? tools : strict)(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
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
