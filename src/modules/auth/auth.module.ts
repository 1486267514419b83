import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import { THROTTLE_REDIS, ThrottleRedisModule } from './throttle-redis.module';
import { AppConfig } from '../../config/app-config';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { TokenAuthenticator } from './token-authenticator';

@Module({
  imports: [
    UsersModule,
    ThrottlerModule.forRootAsync({
      imports: [ThrottleRedisModule],
      inject: [AppConfig, THROTTLE_REDIS],
      useFactory: (config: AppConfig, redis: Redis) => ({
        throttlers: [
          { name: 'auth-ip', ttl: 60_000, limit: config.RATE_LIMIT_AUTH_PER_IP },
          {
            name: 'login-email',
            ttl: 60_000,
            limit: config.RATE_LIMIT_LOGIN_PER_EMAIL,
            getTracker: (request: Record<string, unknown>) => {
              const email = (request.body as { email?: unknown } | undefined)?.email;
              return typeof email === 'string' ? email.trim().toLowerCase() : 'no-email';
            },
          },
        ],
        storage: new ThrottlerStorageRedisService(redis),
      }),
    }),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A key object made once: given a string, jsonwebtoken tries to read it as a PEM key on
        // every sign and verify (about 15 % of an authenticated request's CPU, npm run bench).
        secretOrKeyProvider: ((key) => () => key)(createSecretKey(Buffer.from(config.jwtSecret, 'utf8'))),
        signOptions: { expiresIn: config.JWT_TTL as `${number}h`, issuer: 'inkind' },
        verifyOptions: { issuer: 'inkind', algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, TokenAuthenticator, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenAuthenticator],
})
export class AuthModule {}
