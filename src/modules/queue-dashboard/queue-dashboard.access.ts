import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken, TokenAuthenticator } from '../auth/token-authenticator';

export const DASHBOARD_ROUTE = '/admin/queues';
/** A browser cannot send a bearer header when it follows a link: the admin page puts the token here. */
export const DASHBOARD_COOKIE = 'inkind_dashboard_token';

/**
 * The queue dashboard can retry and delete jobs: only an admin may open any of its
 * pages, assets or API calls. Checked in an onRequest hook, before bull-board's routes.
 */
@Injectable()
export class QueueDashboardAccess {
  constructor(private readonly authenticator: TokenAuthenticator) {}

  /**
   * Whether the request is for the dashboard: by the route the router matched (it decodes the
   * path, so /admin/%71ueues is /admin/queues), and by the decoded path for anything unmatched.
   */
  applies(request: Pick<FastifyRequest, 'url' | 'routeOptions'>): boolean {
    const route = request.routeOptions?.url;
    if (route !== undefined && isDashboardPath(route)) return true;
    let path = request.url.split('?')[0];
    try {
      path = decodeURIComponent(path);
    } catch {
      // A malformed escape: judged as written.
    }
    return isDashboardPath(path.replace(/\/{2,}/g, '/'));
  }

  async check(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = bearerToken(request.headers.authorization) ?? cookie(request.headers.cookie, DASHBOARD_COOKIE);
    const user = token ? await this.authenticator.authenticate(token) : undefined;
    if (!user) {
      const message = token ? 'The token is invalid or expired' : 'A bearer token is required';
      await reply.code(401).send({ statusCode: 401, message, error: 'Unauthorized' });
    } else if (user.role !== 'admin') {
      await reply.code(403).send({ statusCode: 403, message: 'The queue dashboard is for admin accounts', error: 'Forbidden' });
    }
  }
}

function isDashboardPath(path: string): boolean {
  return path === DASHBOARD_ROUTE || path.startsWith(`${DASHBOARD_ROUTE}/`);
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name || value.length === 0) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined; // a malformed value is no token
    }
  }
  return undefined;
}
