import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { roleRequired, tokenInvalid, tokenRequired } from '../../common/errors/domain-error';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { AuthUser } from '../../common/auth/auth-user';
import { IS_PUBLIC, ROLES } from '../../common/auth/decorators';
import { Role } from '../users/entities/user.entity';
import { bearerToken, TokenAuthenticator } from './token-authenticator';

/**
 * Authenticates every request from its bearer token and checks the route's
 * roles (the user is reloaded on each request: see TokenAuthenticator).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: TokenAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const token = bearerToken(request.headers.authorization);

    const user = token ? await this.authenticator.authenticate(token) : undefined;
    if (isPublic) {
      // A stale token must not break a public page: the caller is then anonymous.
      if (user) request.user = user;
      return true;
    }
    if (!token) throw tokenRequired();
    if (!user) throw tokenInvalid();
    request.user = user;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(user.role)) {
      throw roleRequired(roles);
    }
    return true;
  }
}
