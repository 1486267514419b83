import { api, get, post } from '../api.js';
import { field, formData, h, select } from '../dom.js';
import { formatDate, formatNumber, formatWindow, t } from '../i18n.js';
import { categoryLabel, categoryOptions, houseName } from '../reference.js';
import { actionButton, badge, empty, flash, onSubmit, pageTitle, section, urgencyBadge } from '../ui.js';

const URGENCIES = ['urgent', 'high', 'normal', 'low'];
const urgencyOptions = () => URGENCIES.map((u) => [u, t(`urgency.${u}`)]);

function proposal(match, refresh) {
  return h(
    'li',
    { class: 'card proposal', 'data-match': match.id },
    h('div', { class: 'card-head' }, h('h3', {}, match.offerTitle), urgencyBadge(match.urgency)),
    h('p', {}, t('coordinator.forNeed', { need: match.needTitle })),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('coordinator.quantity')), h('dd', {}, String(match.quantity)),
      h('dt', {}, t('coordinator.condition')), h('dd', {}, t(`conditions.${match.condition}`)),
      h('dt', {}, t('coordinator.from')), h('dd', {}, `${match.pickupArea.postcode} ${match.pickupArea.town}`),
      h('dt', {}, t('coordinator.distance')), h('dd', {}, t('common.km', { km: formatNumber(match.distanceKm, 1) })),
    ),
    h(
      'div',
      { class: 'actions' },
      actionButton(t('coordinator.accept'), async () => {
        await post(`/api/matches/${match.id}/accept`);
        flash(t('coordinator.accepted', { title: match.offerTitle }));
        await refresh();
      }, { class: 'btn btn-primary' }),
      actionButton(t('coordinator.decline'), async () => {
        await post(`/api/matches/${match.id}/decline`, {});
        flash(t('coordinator.declined', { title: match.offerTitle }));
        await refresh();
      }, { class: 'btn btn-secondary' }),
    ),
  );
}

function incoming(pickup, refresh) {
  const confirmable = pickup.status === 'assigned' || pickup.status === 'collected';
  return h(
    'li',
    { class: 'card pickup', 'data-pickup': pickup.id },
    h('div', { class: 'card-head' }, h('h3', {}, pickup.items.map((i) => `${i.quantity} × ${i.title}`).join(', ')), badge(t(`pickupStatus.${pickup.status}`), `status-${pickup.status}`)),
    h('p', { class: 'meta' }, pickup.windowStart ? formatWindow(pickup.windowStart, pickup.windowEnd) : t('volunteer.noWindow'), ' · ', pickup.pickupArea.town),
    confirmable
      ? actionButton(t('coordinator.confirmDelivery'), async () => {
          await post(`/api/pickups/${pickup.id}/delivered`);
          flash(t('coordinator.deliveryConfirmed'));
          await refresh();
        }, { class: 'btn btn-primary' })
      : null,
  );
}

function needItem(need, refresh) {
  const edit = h(
    'form',
    { class: 'form compact' },
    h(
      'div',
      { class: 'row' },
      field(t('need.quantity'), h('input', { type: 'number', name: 'quantity', min: 1, max: 1000, required: true, value: need.quantity })),
      field(t('need.urgency'), select('urgency', urgencyOptions(), need.urgency)),
    ),
    h('button', { type: 'submit', class: 'btn btn-secondary' }, t('need.save')),
  );
  onSubmit(edit, async () => {
    const data = formData(edit);
    await api('PATCH', `/api/needs/${need.id}`, { quantity: Number(data.quantity), urgency: data.urgency });
    flash(t('need.saved', { title: need.title }));
    await refresh();
  });
  return h(
    'li',
    { class: 'card need', 'data-need': need.id },
    h('div', { class: 'card-head' }, h('h3', {}, need.title), urgencyBadge(need.urgency)),
    h('p', { class: 'meta' }, categoryLabel(need.categoryCode), ' · ', t('need.progress', { quantity: need.quantity, promised: need.quantityAllocated, received: need.quantityDelivered })),
    need.neededBy ? h('p', { class: 'meta' }, t('wishlist.neededBy', { date: formatDate(need.neededBy) })) : null,
    h('details', {}, h('summary', {}, t('need.change')), edit),
    actionButton(t('need.cancel'), async () => {
      await post(`/api/needs/${need.id}/cancel`, {});
      flash(t('need.cancelled', { title: need.title }));
      await refresh();
    }, { class: 'btn btn-danger' }),
  );
}

function newNeedForm(houseSlug, refresh) {
  const form = h(
    'form',
    { class: 'form', id: 'new-need' },
    field(t('offer.category'), select('categoryCode', categoryOptions(), undefined, { required: true })),
    field(t('need.title'), h('input', { name: 'title', required: true, maxlength: 200 })),
    field(t('offer.description'), h('textarea', { name: 'description', rows: 2, maxlength: 4000 })),
    h(
      'div',
      { class: 'row' },
      field(t('need.quantity'), h('input', { type: 'number', name: 'quantity', min: 1, max: 1000, required: true, value: 1 })),
      field(t('need.urgency'), select('urgency', urgencyOptions(), 'normal')),
    ),
    field(t('need.neededBy'), h('input', { type: 'date', name: 'neededBy' })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('need.post')),
  );
  onSubmit(form, async () => {
    const data = formData(form);
    await post('/api/needs', {
      houseSlug,
      categoryCode: data.categoryCode,
      title: data.title,
      quantity: Number(data.quantity),
      urgency: data.urgency,
      ...(data.description ? { description: data.description } : {}),
      ...(data.neededBy ? { neededBy: data.neededBy } : {}),
    });
    flash(t('need.posted', { title: data.title }));
    await refresh();
  });
  return h('details', { class: 'panel-details' }, h('summary', { class: 'btn btn-secondary' }, t('need.new')), form);
}

function impactTable(impact) {
  if (!impact.categories.length) return empty(t('impact.nothing'));
  return h(
    'table',
    { class: 'table' },
    h('caption', {}, t('impact.caption')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('impact.category')), h('th', { scope: 'col' }, t('impact.month')), h('th', { scope: 'col' }, t('impact.year')))),
    h('tbody', {}, impact.categories.map((c) => h('tr', {}, h('th', { scope: 'row' }, categoryLabel(c.categoryCode)), h('td', {}, String(c.month)), h('td', {}, String(c.year))))),
  );
}

export async function home({ user, refresh }) {
  const slug = user.houseSlug;
  const [proposals, unassigned, assigned, collected, needs, impact] = await Promise.all([
    get('/api/matches?status=proposed&limit=100'),
    // One list per status on the way: the house's delivered pickups would crowd them out of one page.
    ...['unassigned', 'assigned', 'collected'].map((status) => get(`/api/pickups?status=${status}&limit=100`)),
    get(`/api/needs?house=${encodeURIComponent(slug)}&status=open&limit=100`),
    get('/api/matches/impact'),
  ]);
  const open = [...collected.items, ...assigned.items, ...unassigned.items];
  return h(
    'div',
    {},
    pageTitle(houseName(slug)),
    section(
      t('coordinator.proposals'),
      h('p', { class: 'hint' }, t('coordinator.proposalsHint')),
      proposals.items.length ? h('ul', { class: 'cards' }, proposals.items.map((m) => proposal(m, refresh))) : empty(t('coordinator.noProposals')),
    ),
    section(
      t('coordinator.incoming'),
      open.length ? h('ul', { class: 'cards' }, open.map((p) => incoming(p, refresh))) : empty(t('coordinator.noIncoming')),
    ),
    section(
      t('coordinator.needs'),
      newNeedForm(slug, refresh),
      needs.items.length ? h('ul', { class: 'cards' }, needs.items.map((n) => needItem(n, refresh))) : empty(t('coordinator.noNeeds')),
    ),
    section(t('impact.title'), impactTable(impact)),
  );
}
