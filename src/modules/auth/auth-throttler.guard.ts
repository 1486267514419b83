import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard } from '@nestjs/throttler';

/**
 * Rate limits on the auth routes, counted in Redis so that they hold across instances. When Redis
 * is away the limits cannot be counted; people can still log in (fail open), and it is logged.
 */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  private readonly log = new Logger(AuthThrottlerGuard.name);

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await super.canActivate(context);
    } catch (error) {
      if (error instanceof ThrottlerException) throw error;
      this.log.warn(`rate limits not counted: ${(error as Error).message}`);
      return true;
    }
  }
}
