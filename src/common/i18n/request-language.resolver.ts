import { ExecutionContext, Injectable } from '@nestjs/common';
import { I18nResolver } from 'nestjs-i18n';
import { AuthUser } from '../auth/auth-user';
import { Language, languageFromAcceptLanguage } from './languages';

/**
 * The language of an answer's texts: the one the client asks for (Accept-Language: the web
 * pages send their chosen language), else the caller's profile, else the default. Runs in
 * nestjs-i18n's interceptor, after the guard has identified the caller.
 */
@Injectable()
export class RequestLanguageResolver implements I18nResolver {
  resolve(context: ExecutionContext): Language | undefined {
    if (context.getType() !== 'http') return undefined;
    const request = context.switchToHttp().getRequest<{ headers?: Record<string, string | string[] | undefined>; user?: AuthUser }>();
    return languageFromAcceptLanguage(request.headers?.['accept-language']) ?? request.user?.language;
  }
}
