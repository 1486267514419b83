/** The languages the service speaks; Dutch first, as in most of the houses' region. */
export const LANGUAGES = ['nl', 'fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'nl';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The caller's preferred language among ours, from an Accept-Language header
 * (`fr-BE,fr;q=0.9,en;q=0.8`), highest weight first; undefined when none of ours is named.
 */
export function languageFromAcceptLanguage(header: string | string[] | undefined): Language | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return undefined;
  const ranges = value
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      // Weights run from 0 to 1; fr_BE is written as often as fr-BE.
      return { language: tag.trim().toLowerCase().split(/[-_]/)[0], weight: Number.isFinite(weight) ? Math.min(Math.max(weight, 0), 1) : 0, index };
    })
    .filter((range) => range.weight > 0 && isLanguage(range.language))
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranges[0]?.language as Language | undefined;
}
