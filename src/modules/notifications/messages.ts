import { Injectable } from '@nestjs/common';
import { I18nService } from 'nestjs-i18n';
import { Language, LANGUAGES } from '../../common/i18n/languages';
import { Labels } from '../houses/entities/house.entity';
import { NotificationKind } from './entities/notification.entity';

type Data = Record<string, unknown>;

const LOCALES: Record<Language, string> = { nl: 'nl-BE', fr: 'fr-BE', en: 'en-GB' };

/** What a notification says, from its kind and data, in the reader's language (src/i18n/<language>/notifications.json). */
@Injectable()
export class NotificationTexts {
  constructor(private readonly i18n: I18nService) {}

  text(kind: NotificationKind, data: Data, language: Language): string {
    return this.i18n.t(`notifications.${kind}`, { lang: language, args: this.args(data, language) });
  }

  /** The subject line of the e-mail that carries it. */
  subject(kind: NotificationKind, data: Data, language: Language): string {
    return this.i18n.t(`subjects.${kind}`, { lang: language, args: this.args(data, language) });
  }

  all(kind: NotificationKind, data: Data): Labels {
    return Object.fromEntries(LANGUAGES.map((language) => [language, this.text(kind, data, language)])) as unknown as Labels;
  }

  t(key: string, language: Language, args: Record<string, unknown> = {}): string {
    return this.i18n.t(key, { lang: language, args });
  }

  private args(data: Data, language: Language): Data {
    return { ...data, when: when(data, language), distance: typeof data.distanceKm === 'number' ? ` (${data.distanceKm} km)` : '' };
  }
}

/** "Tuesday 1 December 14:00–17:00", in the reader's language and Brussels time. */
export function when(d: Data, language: Language): string {
  if (typeof d.windowStart !== 'string' || typeof d.windowEnd !== 'string') return '—';
  const day = new Intl.DateTimeFormat(LOCALES[language], { timeZone: 'Europe/Brussels', weekday: 'long', day: 'numeric', month: 'long' });
  const time = new Intl.DateTimeFormat(LOCALES[language], { timeZone: 'Europe/Brussels', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${day.format(new Date(d.windowStart))} ${time.format(new Date(d.windowStart))}–${time.format(new Date(d.windowEnd))}`;
}
