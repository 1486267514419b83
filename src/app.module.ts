import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { createRootLogger, loggingParams, RequestLog } from './common/logging/logging';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { TimeModule } from './common/time/time.module';
import { TranslationsModule } from './common/i18n/translations.module';
import { databaseOptions } from './database/database-options';
import { AuthModule } from './modules/auth/auth.module';
import { CatalogModule } from './modules/catalog/catalog.module';
import { HealthModule } from './modules/health/health.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { HousesModule } from './modules/houses/houses.module';
import { NeedsModule } from './modules/needs/needs.module';
import { OffersModule } from './modules/offers/offers.module';
import { PrivacyModule } from './modules/privacy/privacy.module';
import { UsersModule } from './modules/users/users.module';
import { RedisModule } from './redis/redis.module';
import { QueueModule } from './queue/queue.module';
import { WORKER_POOL_SIZE } from './queue/catalogue';
import { MatchingModule } from './modules/matching/matching.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { PickupsModule } from './modules/pickups/pickups.module';
import { PipelineModule } from './modules/pipeline/pipeline.module';
import { WorkerModule } from './worker.module';
import { QueueDashboardModule } from './modules/queue-dashboard/queue-dashboard.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: { logDestination?: NodeJS.WritableStream } = {}): DynamicModule {
    const logger = createRootLogger(config, options.logDestination);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggingParams(logger)),
        TimeModule,
        TranslationsModule,
        TypeOrmModule.forRoot({ ...databaseOptions(config.DATABASE_URL, config.runsWorkers ? WORKER_POOL_SIZE : 10), autoLoadEntities: true, entities: [] }),
        RedisModule,
        QueueModule,
        MetricsModule,
        HealthModule,
        AuthModule,
        UsersModule,
        HousesModule,
        CatalogModule,
        NeedsModule,
        OffersModule,
        PrivacyModule,
        MatchingModule,
        NotificationsModule,
        PickupsModule,
        PipelineModule,
        ...(config.runsHttp ? [QueueDashboardModule] : []),
        ...(config.runsWorkers ? [WorkerModule] : []),
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }, { provide: RequestLog, useValue: new RequestLog(logger) }],
    };
  }
}
