export const LANGUAGES = ['nl', 'fr', 'en'];
const LOCALES = { nl: 'nl-BE', fr: 'fr-BE', en: 'en-GB' };
const STORE = 'inkind.lang';
export const TIME_ZONE = 'Europe/Brussels';

let current = 'nl';
let dictionary = {};

/** The stored choice, else the first of the browser's languages that we speak, else Dutch. */
export function preferredLanguage() {
  const stored = localStorage.getItem(STORE);
  if (LANGUAGES.includes(stored)) return stored;
  for (const tag of navigator.languages?.length ? navigator.languages : [navigator.language]) {
    const base = String(tag ?? '').toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'nl';
}

export async function setLanguage(language) {
  const res = await fetch(`/i18n/${language}.json`);
  dictionary = await res.json();
  current = language;
  document.documentElement.lang = language;
  localStorage.setItem(STORE, language);
}

export const language = () => current;
export const locale = () => LOCALES[current];

/** The text for a key such as "donor.title", with {name} placeholders filled in. */
export function t(key, params = {}) {
  const text = key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), dictionary);
  if (typeof text !== 'string') return key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] === undefined ? `{${name}}` : String(params[name])));
}

const formatter = (options) => new Intl.DateTimeFormat(locale(), { timeZone: TIME_ZONE, ...options });

/** "dinsdag 1 december, 14:00–17:00" in Brussels time. */
export function formatWindow(start, end) {
  const day = formatter({ weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(start));
  const time = formatter({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${day}, ${time.format(new Date(start))}–${time.format(new Date(end))}`;
}

export function formatDate(instant) {
  return formatter({ day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(instant));
}

export function formatNumber(value, digits = 0) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value);
}

/** Brussels minutes ahead of UTC at an instant. */
function brusselsOffset(ms) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(new Date(ms));
  const part = (type) => Number(parts.find((p) => p.type === type).value);
  return Math.round((Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute')) - ms) / 60000);
}

/** The instant of a Brussels wall-clock date (YYYY-MM-DD) and time (HH:MM), as ISO 8601. */
export function brusselsInstant(date, time) {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let instant = wall - brusselsOffset(wall) * 60000;
  instant = wall - brusselsOffset(instant) * 60000;
  return new Date(instant).toISOString();
}

/** The Brussels calendar day (YYYY-MM-DD) some days from now. */
export function brusselsDay(daysFromNow = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + daysFromNow * 86400000),
  );
}
