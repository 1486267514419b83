'use strict';
/**
 * The product's API with global per-request pieces taken out, for `npm run bench` only: it measures
 * what each piece costs. Plain JavaScript on purpose: under ts-node's hooks (source maps on every stack
 * trace) the compiled product runs measurably slower, and the variants must compare with `node
 * dist/src/main.js`. It builds the app as src/main.ts does (createAdapter, AppModule, configureApp from
 * BENCH_APP_DIR: dist/src, or src when run with ts-node), and BENCH_STRIP (comma-separated) removes:
 *   request-log  the JSON line per request (RequestLog, written by the onResponse hook of configureApp)
 *   helmet       helmet's security headers (the securityHeaders hook of src/web/web-pages.ts)
 *   hooks        the onRequest hook (x-request-id) of configureApp and the HTTP metrics of its onResponse hook
 *   context      entering the request id's AsyncLocalStorage context (in the request-id hook, for tracing)
 * Nothing here is used by the product itself.
 */
require('reflect-metadata');
const { join } = require('node:path');
const { NestFactory } = require('@nestjs/core');

const list = (value) => new Set((value || '').split(',').filter(Boolean));
const strip = list(process.env.BENCH_STRIP);
const fix = list(process.env.BENCH_FIX);
const appDir = join(__dirname, '..', process.env.BENCH_APP_DIR || 'dist/src');
const logging = require(join(appDir, 'common/logging/logging'));
const { configureApp, createAdapter } = require(join(appDir, 'app'));
const { AppModule } = require(join(appDir, 'app.module'));
const { loadConfig } = require(join(appDir, 'config/app-config'));
const { prepareDatabase } = require(join(appDir, 'database/prepare-database'));

async function main() {
  const config = loadConfig();
  await prepareDatabase(config.DATABASE_URL);
  if (strip.has('request-log')) {
    // The line per request, written by the onResponse hook of configureApp.
    logging.RequestLog.prototype.write = () => undefined;
  }
  if (strip.has('hooks')) {
    // The HTTP metrics of the onResponse hook (the request-id hook is taken out below).
    const { MetricsService } = require(join(appDir, 'modules/metrics/metrics.service'));
    MetricsService.prototype.recordHttp = () => undefined;
  }
  if (strip.has('context')) {
    // The request-id hook of app.ts enters the context through this export: make it a pass-through.
    const requestContext = require(join(appDir, 'common/logging/request-context'));
    requestContext.withRequestId = (_id, run) => run();
  }
  const app = await NestFactory.create(AppModule.forRoot(config), createAdapter(config), { bufferLogs: true });
  const fastify = app.getHttpAdapter().getInstance();
  const addHook = fastify.addHook;
  // Only the hooks that configureApp adds itself, recognised by their name or by what they do.
  fastify.addHook = function (name, hook) {
    const source = String(hook);
    if (strip.has('helmet') && name === 'onRequest' && hook.name === 'securityHeaders') return this;
    if (strip.has('hooks') && name === 'onRequest' && source.includes('x-request-id')) return this;
    return addHook.call(this, name, hook);
  };
  await configureApp(app, config);
  fastify.addHook = addHook;
  await app.listen({ port: config.PORT, host: '127.0.0.1' });
  console.log(`bench variant listening on ${config.PORT} without: ${[...strip].join(', ') || 'nothing'}; fixes: ${[...fix].join(', ') || 'none'}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
