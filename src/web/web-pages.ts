import fastifyStatic from '@fastify/static';
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
 * Gives the routes of Swagger UI and the queue dashboard the relaxed policy, through
 * @fastify/helmet's per-route option. Must run before helmet is registered, so that
 * helmet's own onRoute hook sees the option on every route added later.
 */
export function relaxCspForTools(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      if (TOOLS_PREFIXES.some((prefix) => route.url === prefix || route.url.startsWith(prefix))) {
        route.helmet = { contentSecurityPolicy: { directives: TOOLS_CSP } };
      }
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
