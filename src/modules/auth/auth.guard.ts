import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { FastifyRequest } from 'fastify';
import { AuthUser } from '../../common/auth/auth-user';
import { IS_PUBLIC, ROLES } from '../../common/auth/decorators';
import { Role } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';

interface TokenPayload {
  sub: string;
}

/**
 * Authenticates every request from its bearer token and checks the route's
 * roles. The user is reloaded on each request so that an erased account or a
 * changed role takes effect at once, not when the token expires.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const token = bearerToken(request.headers.authorization);

    const user = token ? await this.authenticate(token) : undefined;
    if (isPublic) {
      // A stale token must not break a public page: the caller is then anonymous.
      if (user) request.user = user;
      return true;
    }
    if (!token) throw new UnauthorizedException('A bearer token is required');
    if (!user) throw new UnauthorizedException('The token is invalid or expired');
    request.user = user;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(user.role)) {
      throw new ForbiddenException(`This action is for ${roles.join(' or ')} accounts`);
    }
    return true;
  }

  private async authenticate(token: string): Promise<AuthUser | undefined> {
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token);
    } catch {
      return undefined;
    }
    if (typeof payload.sub !== 'string') return undefined;
    const user = await this.users.findActive(payload.sub);
    return user ? { id: user.id, role: user.role, houseId: user.houseId } : undefined;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}
