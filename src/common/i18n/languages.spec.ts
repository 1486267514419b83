import { languageFromAcceptLanguage } from './languages';

describe('languageFromAcceptLanguage', () => {
  it.each([
    ['fr-BE,fr;q=0.9,en;q=0.8', 'fr'],
    ['nl-BE', 'nl'],
    ['de-DE,de;q=0.9,en;q=0.5,fr;q=0.7', 'fr'],
    ['en-GB;q=0.4, nl;q=0.4', 'en'],
    ['FR', 'fr'],
    ['fr;q=0, en', 'en'],
    ['fr_BE', 'fr'],
    ['en;Q=0.2, nl;Q=0.9', 'nl'],
    ['de;q=1, fr;q=5, en;q=0.9', 'fr'],
    ['nl;q=0.5, fr;q=7', 'fr'],
  ])('picks ours with the highest weight from %s', (header, expected) => {
    expect(languageFromAcceptLanguage(header)).toBe(expected);
  });

  it.each([undefined, '', 'de-DE,es;q=0.5', '*', ';;;,,q=abc', 'x'.repeat(5000)])('names none of ours in %s', (header) => {
    expect(languageFromAcceptLanguage(header)).toBeUndefined();
  });
});
