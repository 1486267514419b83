import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { I18nModule } from 'nestjs-i18n';
import { join } from 'node:path';
import { DEFAULT_LANGUAGE } from './languages';

/** src/i18n/<language>/<namespace>.json; copied beside the compiled code by nest-cli.json's assets. */
export const TRANSLATIONS_PATH = join(__dirname, '..', '..', 'i18n');

/**
 * `{name}` replaced by the argument of that name, in one pass. Text that users wrote (an
 * offer's title) is an argument: it must never be read as a nested `$t(…)` key, so that
 * sequence is broken by an invisible joiner.
 */
export function formatTranslation(template: string, ...args: Array<string | Record<string, string>>): string {
  const values = (args.find((arg) => typeof arg === 'object') ?? {}) as Record<string, unknown>;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) && values[name] !== undefined && values[name] !== null
      ? String(values[name]).replace(/\$t\(/g, '$\u2060t(')
      : whole,
  );
}

/**
 * nestjs-i18n as the store of every text the service writes for people (notifications,
 * e-mails, calendar, validation messages). Notifications, e-mails and the calendar are
 * written in their recipient's language (profile); an answer's texts in the request's
 * (answerLanguage, worked out by the exception filter when it writes one). No resolver, no
 * middleware, no async hook: the hot routes pay nothing for languages.
 */
@Module({
  imports: [
    withoutRequestInterceptor(
      I18nModule.forRoot({
        fallbackLanguage: DEFAULT_LANGUAGE,
        loaderOptions: { path: TRANSLATIONS_PATH, watch: false },
        formatter: formatTranslation,
        // The language is chosen where a text is written; nestjs-i18n insists on a resolver, so it gets one that names none.
        resolvers: [{ resolve: () => undefined }],
        disableMiddleware: true,
        skipAsyncHook: true,
        logging: false,
      }),
    ),
  ],
})
export class TranslationsModule {}

/**
 * nestjs-i18n always installs a global interceptor that works out each request's language for its
 * request context, which this service never reads. It was the app's only interceptor: without it
 * Nest skips its interceptor chain (an rxjs pipeline and two AsyncResource bindings per request),
 * about 8 % of the wishlist's CPU (BENCHMARKS.md).
 */
function withoutRequestInterceptor(module: DynamicModule): DynamicModule {
  const isInterceptor = (provider: Provider) => typeof provider === 'object' && 'provide' in provider && provider.provide === APP_INTERCEPTOR;
  return { ...module, providers: module.providers?.filter((provider) => !isInterceptor(provider)) };
}
