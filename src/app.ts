import { NestFactory } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { Logger } from 'nestjs-pino';
import { RequestLog, requestIdOf } from './common/logging/logging';
import { withRequestId } from './common/logging/request-context';
import { MetricsService } from './modules/metrics/metrics.service';
import { AppConfig } from './config/app-config';
import { createValidationPipe } from './common/validation/validation';
import { registerSecurityHeaders, registerWebPages } from './web/web-pages';
import { QueueDashboardAccess } from './modules/queue-dashboard/queue-dashboard.access';
import { BODY_LIMIT_BYTES } from './common/http/limits';

export function createAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY === 'true',
    genReqId: (req: IncomingMessage) => requestIdOf(req.headers['x-request-id']),
  });
}

export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createAdapter(config), { bufferLogs: true });
  return configureApp(app, config);
}

/** Everything the HTTP application needs besides its modules; the tests build their app with it too. */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<NestFastifyApplication> {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    // The request's id goes back to the client, and the rest of the request runs in its context:
    // its log lines and the outbox rows it writes carry it.
    void reply.header('x-request-id', String(request.id));
    withRequestId(String(request.id), done);
  });
  const dashboard = app.get(QueueDashboardAccess);
  fastify.addHook('onRequest', async (request, reply) => {
    if (dashboard.applies(request)) await dashboard.check(request, reply);
  });
  // Security headers: a strict CSP for the web pages and the API; Swagger UI and the queue dashboard get their inline scripts.
  registerSecurityHeaders(app);
  await registerWebPages(app);
  const metrics = app.get(MetricsService);
  const requestLog = app.get(RequestLog);
  fastify.addHook('onResponse', (request, reply, done) => {
    requestLog.write({ id: String(request.id), method: request.method, url: request.url }, reply.statusCode, reply.elapsedTime);
    // The route's template (/api/offers/:id), never the raw URL: ids would explode the label set.
    metrics.recordHttp(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  const origins = config.CORS_ORIGINS.split(',').filter(Boolean);
  if (origins.length > 0) app.enableCors({ origin: origins, credentials: false });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('inkind')
      .setDescription(
        "In-kind donation logistics for SOS Kinderdorpen / Villages d'Enfants SOS Belgium: needs of the houses, offers of donors, matches and pickups.",
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
