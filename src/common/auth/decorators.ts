import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Role } from '../../modules/users/entities/user.entity';
import { AuthUser } from './auth-user';

export const IS_PUBLIC = 'inkind:public';
export const ROLES = 'inkind:roles';

/** Anyone may call the route; a valid token, when sent, still identifies the caller. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only callers with one of these roles may call the route (403 for the others). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  return context.switchToHttp().getRequest<{ user: AuthUser }>().user;
});

/** The caller when the route is public: undefined for an anonymous caller. */
export const OptionalUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser | undefined => {
  return context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
});
