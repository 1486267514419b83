import icalGenerator, { ICalCalendarMethod } from 'ical-generator';
import { BRUSSELS } from '../../common/time/clock';
import { PickupView } from './pickups.service';

/**
 * The volunteer's pickups as an iCalendar feed: one event per pickup, with a UID that never
 * changes. Times are written as UTC instants (…Z), which every client reads without a VTIMEZONE
 * block, and the calendar says it is meant for Brussels (X-WR-TIMEZONE) for display. (Given a
 * timezone and plain Dates, ical-generator labels UTC clock times as local ones: an hour off.)
 * Texts come in the volunteer's language through `t`.
 */
export function pickupsCalendar(pickups: PickupView[], now: Date, t: (key: 'name' | 'summary' | 'delivered' | 'phone', args?: Record<string, unknown>) => string): string {
  const calendar = icalGenerator({ name: t('name'), method: ICalCalendarMethod.PUBLISH });
  calendar.x([{ key: 'X-WR-TIMEZONE', value: BRUSSELS }]);
  for (const pickup of pickups) {
    if (!pickup.windowStart || !pickup.windowEnd) continue;
    const items = pickup.items.map((item) => `${item.quantity} × ${item.title}`).join(', ');
    // The street and phone serve the trip; once it is done the feed keeps only the town.
    const upcoming = pickup.status === 'assigned' || pickup.status === 'collected';
    calendar.createEvent({
      id: `pickup-${pickup.id}@inkind`,
      start: pickup.windowStart,
      end: pickup.windowEnd,
      stamp: now,
      summary: t(pickup.status === 'delivered' ? 'delivered' : 'summary', { offerTitle: pickup.offerTitle, houseName: pickup.houseName }),
      description: [items, upcoming && pickup.phone ? t('phone', { phone: pickup.phone }) : undefined].filter(Boolean).join('\n'),
      location: [upcoming ? pickup.street : undefined, `${pickup.postcode} ${pickup.town}`].filter(Boolean).join(', '),
    });
  }
  return calendar.toString();
}
