import { BRUSSELS } from '../../common/time/clock';

/** When a house receives goods: ISO weekdays (1 = Monday … 7 = Sunday) and local hours, Brussels time. */
export interface ReceivingHours {
  days: number[];
  from: string; // 'HH:MM'
  to: string; // 'HH:MM'
}

export const DEFAULT_RECEIVING_HOURS: ReceivingHours = { days: [1, 2, 3, 4, 5, 6], from: '09:00', to: '18:00' };

export interface Interval {
  start: Date;
  end: Date;
}

const HOUR_MS = 3_600_000;
export const MAX_WINDOW_MS = 3 * HOUR_MS;
/** A window shorter than this is no use to a volunteer who must drive there. */
export const MIN_WINDOW_MS = 30 * 60_000;

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: BRUSSELS,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The wall-clock reading in Brussels at an instant. */
function brusselsParts(instant: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const read = Object.fromEntries(parts.formatToParts(instant).map((part) => [part.type, part.value]));
  return {
    year: Number(read.year),
    month: Number(read.month),
    day: Number(read.day),
    hour: Number(read.hour),
    minute: Number(read.minute),
    second: Number(read.second),
  };
}

/** The instant at which Brussels clocks show this date and time. */
export function brusselsInstant(date: string, time: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  // Guess with the offset at the wanted reading, then correct once (enough around DST changes).
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const p = brusselsParts(new Date(guess));
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += wanted - shown;
  }
  return new Date(guess);
}

export function brusselsDay(instant: Date): string {
  const p = brusselsParts(instant);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function isoWeekday(date: string): number {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The ten Belgian public holidays of a year, as 'YYYY-MM-DD'. */
export function belgianHolidays(year: number): Set<string> {
  const easter = easterSunday(year);
  return new Set([
    `${year}-01-01`, // New Year
    addDays(easter, 1), // Easter Monday
    `${year}-05-01`, // Labour Day
    addDays(easter, 39), // Ascension
    addDays(easter, 50), // Whit Monday
    `${year}-07-21`, // National Day
    `${year}-08-15`, // Assumption
    `${year}-11-01`, // All Saints
    `${year}-11-11`, // Armistice
    `${year}-12-25`, // Christmas
  ]);
}

export function isBelgianHoliday(date: string): boolean {
  return belgianHolidays(Number(date.slice(0, 4))).has(date);
}

export interface WindowRequest {
  /** The donor's availability. */
  availability: Interval[];
  now: Date;
  /** A pickup starts at least this long after now. */
  leadMs: number;
  receiving: ReceivingHours;
  /** Nothing before this instant (after a failed attempt: the end of that window). */
  notBefore?: Date;
}

/**
 * The pickup window: the earliest part of the donor's availability that starts at least the lead
 * time from now, on a day and in the hours the house receives goods, not on a Belgian public
 * holiday; at most 3 hours, at least 30 minutes. Null when the availability has no such part.
 */
export function chooseWindow(request: WindowRequest): Interval | null {
  const earliest = Math.max(request.now.getTime() + request.leadMs, request.notBefore?.getTime() ?? 0);
  let best: Interval | null = null;
  for (const slot of mergeTouching(request.availability)) {
    const start = Math.max(slot.start.getTime(), earliest);
    const end = slot.end.getTime();
    if (end - start < MIN_WINDOW_MS) continue;
    if (best && start >= best.start.getTime()) break;
    // Each Brussels day the slot touches, intersected with that day's receiving hours.
    for (let day = brusselsDay(new Date(start)); ; day = addDays(day, 1)) {
      const open = brusselsInstant(day, request.receiving.from).getTime();
      if (open >= end) break;
      if (!request.receiving.days.includes(isoWeekday(day)) || isBelgianHoliday(day)) continue;
      const close = brusselsInstant(day, request.receiving.to).getTime();
      const from = Math.max(start, open);
      const to = Math.min(end, close);
      if (to - from >= MIN_WINDOW_MS) {
        const candidate = { start: new Date(from), end: new Date(Math.min(to, from + MAX_WINDOW_MS)) };
        if (!best || candidate.start < best.start) best = candidate;
        break;
      }
    }
  }
  return best;
}

/** Windows that overlap or touch become one: a donor free 10:00–10:20 and 10:20–10:40 is free 10:00–10:40. */
export function mergeTouching(windows: Interval[]): Interval[] {
  const sorted = [...windows].sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: Interval[] = [];
  for (const window of sorted) {
    const last = merged[merged.length - 1];
    if (last && window.start.getTime() <= last.end.getTime()) {
      if (window.end > last.end) last.end = window.end;
    } else {
      merged.push({ start: window.start, end: window.end });
    }
  }
  return merged;
}

/** When to remind the volunteer and the donor: 18:00 Brussels time on the day before the window. */
export function reminderAt(windowStart: Date): Date {
  return brusselsInstant(addDays(brusselsDay(windowStart), -1), '18:00');
}
