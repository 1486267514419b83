import { Test } from '@nestjs/testing';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES } from '../common/i18n/languages';
import { formatTranslation, TranslationsModule } from '../common/i18n/translations.module';
import { NOTIFICATION_KINDS } from '../modules/notifications/entities/notification.entity';
import { NotificationTexts } from '../modules/notifications/messages';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

const catalogue = (language: string, namespace: string): Record<string, string> =>
  JSON.parse(readFileSync(join(__dirname, language, `${namespace}.json`), 'utf8'));
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('translations (src/i18n)', () => {
  const namespaces = readdirSync(join(__dirname, 'nl')).map((file) => file.replace(/\.json$/, ''));

  it('has the same files in every language', () => {
    for (const language of LANGUAGES) expect(readdirSync(join(__dirname, language)).sort()).toEqual(readdirSync(join(__dirname, 'nl')).sort());
    expect(namespaces).toEqual(expect.arrayContaining(['notifications', 'subjects', 'calendar', 'email', 'validation']));
  });

  it.each(namespaces)('%s: every key exists in nl, fr and en, with a text and the same placeholders', (namespace) => {
    const [nl, fr, en] = LANGUAGES.map((language) => catalogue(language, namespace));
    expect(Object.keys(fr).sort()).toEqual(Object.keys(nl).sort());
    expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort());
    for (const key of Object.keys(nl)) {
      for (const texts of [nl, fr, en]) expect(texts[key].trim().length).toBeGreaterThan(0);
      expect(placeholders(fr[key])).toEqual(placeholders(nl[key]));
      expect(placeholders(en[key])).toEqual(placeholders(nl[key]));
    }
  });

  it('has a text and an e-mail subject for every kind of notification', () => {
    for (const language of LANGUAGES) {
      expect(Object.keys(catalogue(language, 'notifications')).sort()).toEqual([...NOTIFICATION_KINDS].sort());
      expect(Object.keys(catalogue(language, 'subjects')).sort()).toEqual([...NOTIFICATION_KINDS].sort());
    }
  });

  it('renders a notification in each language through nestjs-i18n, with the window in Brussels time', async () => {
    const module = await Test.createTestingModule({ imports: [TranslationsModule], providers: [NotificationTexts] }).compile();
    const texts = module.get(NotificationTexts);
    const data = { offerTitle: 'Lit superposé', houseName: 'Hejmo', windowStart: '2026-12-01T13:00:00Z', windowEnd: '2026-12-01T16:00:00Z' };
    expect(texts.text('pickup-scheduled', data, 'fr')).toBe('Enlèvement de « Lit superposé » pour Hejmo : mardi 1 décembre 14:00–17:00.');
    expect(texts.text('pickup-scheduled', data, 'nl')).toBe('Ophaling van "Lit superposé" voor Hejmo: dinsdag 1 december 14:00–17:00.');
    expect(texts.all('pickup-delivered', data).en).toBe('"Lit superposé" has arrived at Hejmo. Thank you so much!');
    expect(texts.subject('pickup-available', { town: 'Gent' }, 'nl')).toBe('Nieuwe ophaling in Gent');
    await module.close();
  });
});

describe('formatTranslation', () => {
  it('fills each {name} once and leaves unknown ones', () => {
    expect(formatTranslation('{a} and {b} and {a}', { a: '1', b: '{a}' })).toBe('1 and {a} and 1');
    expect(formatTranslation('{missing}', {})).toBe('{missing}');
  });

  it('never lets a user’s text name a nested translation', () => {
    expect(formatTranslation('«{title}»', { title: '$t(calendar.name)' })).not.toContain('$t(');
  });
});

describe('validation messages', () => {
  it('has a translation for every rule of every DTO of the API', async () => {
    const { readdirSync: list } = await import('node:fs');
    const modules = join(__dirname, '..', 'modules');
    const classes: Array<new () => object> = [];
    for (const module of list(modules)) {
      const dtoDir = join(modules, module, 'dto');
      let files: string[] = [];
      try {
        files = list(dtoDir).filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'));
      } catch {
        continue;
      }
      for (const file of files) {
        const exported = (await import(join(dtoDir, file))) as Record<string, unknown>;
        classes.push(...Object.values(exported).filter((value): value is new () => object => typeof value === 'function'));
      }
    }
    // DTOs also live beside controllers (query DTOs) and in common/ (paging).
    const elsewhere = [
      ...list(modules).flatMap((module) => list(join(modules, module)).filter((f) => f.endsWith('.controller.ts')).map((f) => join(modules, module, f))),
      ...list(join(__dirname, '..', 'common', 'pagination')).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts')).map((f) => join(__dirname, '..', 'common', 'pagination', f)),
    ];
    for (const file of elsewhere) {
      const exported = (await import(file)) as Record<string, unknown>;
      classes.push(...Object.values(exported).filter((value): value is new () => object => typeof value === 'function'));
    }
    expect(classes.length).toBeGreaterThan(20);
    const { getMetadataStorage } = await import('class-validator');
    // Every class loaded so far, exported or not (query DTOs beside their controller).
    const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, ValidationMetadata[]> };
    const keys = new Set<string>();
    for (const metadatas of storage.validationMetadatas.values()) {
      for (const m of metadatas) {
        const context = (m.context as { i18n?: string } | undefined)?.i18n;
        if (m.type === 'customValidation') keys.add(context ?? (m.name as string));
        if (m.type === 'nestedValidation' || m.type === 'isDefined') keys.add(context ?? m.type);
      }
    }
    expect(storage.validationMetadatas.size).toBeGreaterThan(20);
    expect(keys.size).toBeGreaterThan(15);
    for (const language of LANGUAGES) {
      const texts = catalogue(language, 'validation');
      expect([...keys].filter((key) => texts[key] === undefined)).toEqual([]);
      for (const always of ['whitelistValidation', 'unknownValue', 'uuidParameter']) expect(texts[always]).toBeDefined();
    }
  });
});
