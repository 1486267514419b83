import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { createValidationPipe } from './common/validation/validation';

export const BODY_LIMIT_BYTES = 100 * 1024;

export function createAdapter(): FastifyAdapter {
  return new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES });
}

export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createAdapter());
  return configureApp(app);
}

/** Everything the HTTP application needs besides its modules; the tests build their app with it too. */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
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
