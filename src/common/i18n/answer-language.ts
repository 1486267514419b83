import { AuthUser } from '../auth/auth-user';
import { DEFAULT_LANGUAGE, Language, languageFromAcceptLanguage } from './languages';

export interface RequestWithUser {
  headers?: Record<string, string | string[] | undefined>;
  user?: AuthUser;
}

/**
 * The language of an answer's texts (validation messages): the one the client asks for
 * (Accept-Language: the web pages send their chosen language), else the caller's profile,
 * else Dutch. Worked out only when an answer has text to write, never on the hot path.
 */
export function answerLanguage(request: RequestWithUser | undefined): Language {
  return languageFromAcceptLanguage(request?.headers?.['accept-language']) ?? request?.user?.language ?? DEFAULT_LANGUAGE;
}
