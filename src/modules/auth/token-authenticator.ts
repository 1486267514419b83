import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuthUser } from '../../common/auth/auth-user';
import { isUuid } from '../../common/validation/uuid';
import { UsersService } from '../users/users.service';

interface TokenPayload {
  sub: string;
}

/**
 * Turns a token into the user it names. The user is reloaded each time so that an
 * erased account or a changed role takes effect at once, not when the token expires.
 */
@Injectable()
export class TokenAuthenticator {
  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersService,
  ) {}

  async authenticate(token: string): Promise<AuthUser | undefined> {
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token);
    } catch {
      return undefined;
    }
    if (!isUuid(payload.sub)) return undefined;
    return this.users.findIdentity(payload.sub);
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}
