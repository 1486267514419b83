import { get, post } from '../api.js';
import { field, h, select } from '../dom.js';
import { formatNumber, formatWindow, t } from '../i18n.js';
import { houseName } from '../reference.js';
import { actionButton, badge, empty, flash, pageTitle, section } from '../ui.js';
import { myData } from './privacy.js';

const REASONS = ['donor-absent', 'goods-not-as-described', 'does-not-fit', 'other'];

const what = (pickup) => pickup.items.map((i) => `${i.quantity} × ${i.title}`).join(', ');
const when = (pickup) => (pickup.windowStart ? formatWindow(pickup.windowStart, pickup.windowEnd) : t('volunteer.noWindow'));

function available(pickup, refresh) {
  return h(
    'li',
    { class: 'card pickup', 'data-pickup': pickup.id },
    h('div', { class: 'card-head' }, h('h3', {}, what(pickup)), badge(t(`sizes.${pickup.size}`), 'size')),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('volunteer.where')), h('dd', {}, `${pickup.pickupArea.postcode} ${pickup.pickupArea.town}`),
      pickup.distanceKm !== undefined ? [h('dt', {}, t('coordinator.distance')), h('dd', {}, t('common.km', { km: formatNumber(pickup.distanceKm, 1) }))] : null,
      h('dt', {}, t('volunteer.when')), h('dd', {}, when(pickup)),
      h('dt', {}, t('volunteer.to')), h('dd', {}, houseName(pickup.houseSlug)),
    ),
    actionButton(t('volunteer.claim'), async () => {
      await post(`/api/pickups/${pickup.id}/claim`);
      flash(t('volunteer.claimed'));
      await refresh();
    }, { class: 'btn btn-primary' }),
  );
}

function failedForm(pickup, refresh) {
  const reason = select('reason', REASONS.map((r) => [r, t(`reasons.${r}`)]), 'donor-absent');
  return h(
    'details',
    {},
    h('summary', {}, t('volunteer.failed')),
    h(
      'div',
      { class: 'form compact' },
      field(t('volunteer.reason'), reason),
      actionButton(t('volunteer.reportFailed'), async () => {
        await post(`/api/pickups/${pickup.id}/failed`, { reason: reason.value });
        flash(t('volunteer.failedReported'));
        await refresh();
      }, { class: 'btn btn-secondary' }),
    ),
  );
}

function mine(pickup, refresh) {
  const address = pickup.pickupAddress;
  const act = (label, path, message, cls = 'btn btn-primary') =>
    actionButton(label, async () => {
      await post(`/api/pickups/${pickup.id}/${path}`);
      flash(message);
      await refresh();
    }, { class: cls });
  return h(
    'li',
    { class: 'card pickup', 'data-pickup': pickup.id },
    h('div', { class: 'card-head' }, h('h3', {}, what(pickup)), badge(t(`pickupStatus.${pickup.status}`), `status-${pickup.status}`)),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('volunteer.when')), h('dd', {}, when(pickup)),
      h('dt', {}, t('volunteer.address')),
      h('dd', { class: 'address' }, address?.street ? `${address.street}, ${address.postcode} ${address.town}` : `${pickup.pickupArea.postcode} ${pickup.pickupArea.town}`),
      address?.phone ? [h('dt', {}, t('auth.phone')), h('dd', {}, h('a', { href: `tel:${address.phone.replace(/\s+/g, '')}` }, address.phone))] : null,
      h('dt', {}, t('volunteer.to')), h('dd', {}, houseName(pickup.houseSlug)),
    ),
    pickup.status === 'assigned'
      ? h(
          'div',
          { class: 'actions' },
          act(t('volunteer.collected'), 'collected', t('volunteer.collectedDone')),
          act(t('volunteer.release'), 'release', t('volunteer.released'), 'btn btn-secondary'),
        )
      : null,
    pickup.status === 'collected' ? act(t('volunteer.delivered'), 'delivered', t('volunteer.deliveredDone')) : null,
    pickup.status === 'assigned' ? failedForm(pickup, refresh) : null,
  );
}

export async function home({ navigate, refresh }) {
  const [open, claimed, calendar] = await Promise.all([
    get('/api/pickups?status=unassigned&limit=50'),
    get('/api/pickups/mine?limit=100'),
    get('/api/pickups/mine/calendar-link'),
  ]);
  const current = claimed.items.filter((p) => p.status === 'assigned' || p.status === 'collected');
  const done = claimed.items.filter((p) => p.status === 'delivered');
  const calendarUrl = new URL(calendar.path, location.origin).href;
  return h(
    'div',
    {},
    pageTitle(t('volunteer.title')),
    section(
      t('volunteer.mine'),
      current.length ? h('ul', { class: 'cards' }, current.map((p) => mine(p, refresh))) : empty(t('volunteer.noneClaimed')),
      done.length ? h('p', { class: 'meta' }, t('volunteer.doneCount', { n: done.length })) : null,
    ),
    section(
      t('volunteer.near'),
      h('p', { class: 'hint' }, t('volunteer.nearHint')),
      open.items.length ? h('ul', { class: 'cards' }, open.items.map((p) => available(p, refresh))) : empty(t('volunteer.noneOpen')),
    ),
    section(
      t('volunteer.calendar'),
      h('p', {}, t('volunteer.calendarHint')),
      h('p', {}, h('a', { class: 'btn btn-secondary', href: calendarUrl.replace(/^https?:/, 'webcal:'), id: 'calendar-link' }, t('volunteer.subscribe'))),
      field(t('volunteer.calendarAddress'), h('input', { type: 'url', readonly: true, value: calendarUrl, id: 'calendar-url' })),
    ),
    myData(navigate),
  );
}
