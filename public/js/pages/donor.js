import { get, post } from '../api.js';
import { field, formData, h, select } from '../dom.js';
import { brusselsDay, brusselsInstant, formatWindow, t } from '../i18n.js';
import { categoryLabel, categoryOptions, houseName } from '../reference.js';
import { actionButton, badge, empty, flash, onSubmit, pageTitle, section } from '../ui.js';
import { myData } from './privacy.js';

async function all(path) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(`${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < 1000);
  return items;
}

/** What happens to one part of an offer, in the donor's words. */
function matchState(match, pickup) {
  const house = houseName(match.houseSlug);
  const n = match.quantity;
  if (match.status === 'proposed') return [t('offerState.proposed', { house, n }), 'proposed'];
  if (match.status === 'delivered') return [t('offerState.delivered', { house, n }), 'delivered'];
  if (match.status !== 'accepted') return null;
  if (!pickup || pickup.status === 'cancelled') return [t('offerState.accepted', { house, n }), 'accepted'];
  if (pickup.status === 'collected') return [t('offerState.collected', { house, n }), 'collected'];
  if (!pickup.windowStart) return [t('offerState.needTime', { house, n }), 'attention'];
  const window = formatWindow(pickup.windowStart, pickup.windowEnd);
  if (pickup.status === 'assigned') return [t('offerState.pickupByVolunteer', { house, n, window }), 'scheduled'];
  return [t('offerState.pickupPlanned', { house, n, window }), 'scheduled'];
}

function offerCard(offer, matches, pickupOf, refresh) {
  const lines = matches.map((match) => matchState(match, pickupOf(match.id))).filter(Boolean);
  const unplaced = offer.quantity - offer.quantityAllocated - offer.quantityDelivered;
  if (offer.status === 'withdrawn') lines.push([t('offerState.withdrawn'), 'ended']);
  else if (offer.status === 'expired') lines.push([t('offerState.expired'), 'ended']);
  else if (offer.status === 'open' && unplaced > 0) lines.push([t('offerState.waiting', { n: unplaced }), 'waiting']);
  const withdrawable = offer.status === 'open' || offer.status === 'allocated';
  return h(
    'li',
    { class: 'card offer', 'data-offer': offer.id },
    h('div', { class: 'card-head' }, h('h3', {}, offer.title), badge(t(`offerStatus.${offer.status}`), `status-${offer.status}`)),
    h('p', { class: 'meta' }, `${offer.quantity} × · ${categoryLabel(offer.categoryCode)} · ${t(`conditions.${offer.condition}`)} · ${offer.pickupArea.town}`),
    h('ul', { class: 'states' }, lines.map(([text, kind]) => h('li', { class: `state state-${kind}` }, text))),
    withdrawable
      ? actionButton(t('donor.withdraw'), async () => {
          await post(`/api/offers/${offer.id}/withdraw`, {});
          flash(t('donor.withdrawn', { title: offer.title }));
          await refresh();
        }, { class: 'btn btn-secondary' })
      : null,
  );
}

export async function home({ navigate, refresh }) {
  const [offers, matches, pickups] = await Promise.all([all('/api/offers'), all('/api/matches'), all('/api/pickups')]);
  const pickupByMatch = new Map();
  for (const pickup of pickups) for (const item of pickup.items) {
    const known = pickupByMatch.get(item.matchId);
    // A rescheduled match may have an older cancelled pickup; the live one wins.
    if (!known || known.status === 'cancelled') pickupByMatch.set(item.matchId, pickup);
  }
  const matchesOf = (offerId) => matches.filter((m) => m.offerId === offerId && m.status !== 'declined');
  return h(
    'div',
    {},
    pageTitle(t('donor.title')),
    h('p', {}, h('a', { class: 'btn btn-primary', href: '#/donor/offer' }, t('donor.offerGoods'))),
    section(
      t('donor.myOffers'),
      offers.length
        ? h('ul', { class: 'cards' }, offers.map((offer) => offerCard(offer, matchesOf(offer.id), (id) => pickupByMatch.get(id), refresh)))
        : empty(t('donor.noOffers')),
    ),
    myData(navigate),
  );
}

function windowRow(index) {
  const row = h(
    'fieldset',
    { class: 'window' },
    h('legend', {}, t('offer.windowN', { n: index + 1 })),
    field(t('offer.day'), h('input', { type: 'date', name: `day${index}`, required: true, min: brusselsDay(1), value: brusselsDay(2) })),
    h(
      'div',
      { class: 'row' },
      field(t('offer.from'), h('input', { type: 'time', name: `from${index}`, required: true, value: '09:00', step: 900 })),
      field(t('offer.to'), h('input', { type: 'time', name: `to${index}`, required: true, value: '17:00', step: 900 })),
    ),
  );
  return row;
}

export async function newOffer({ query, navigate }) {
  const windows = h('div', { class: 'windows' }, windowRow(0));
  let count = 1;
  const addWindow = h('button', { type: 'button', class: 'btn btn-secondary', id: 'add-window' }, t('offer.addWindow'));
  addWindow.addEventListener('click', () => {
    const row = windowRow(count++);
    windows.append(row);
    row.querySelector('input').focus();
  });
  const form = h(
    'form',
    { class: 'form' },
    field(t('offer.category'), select('categoryCode', categoryOptions(), query.get('category') ?? undefined, { required: true })),
    field(t('offer.title'), h('input', { name: 'title', required: true, maxlength: 200 }), t('offer.titleHint')),
    field(t('offer.description'), h('textarea', { name: 'description', rows: 3, maxlength: 4000 })),
    field(t('offer.quantity'), h('input', { type: 'number', name: 'quantity', required: true, min: 1, max: 1000, value: 1, inputmode: 'numeric' })),
    field(t('offer.condition'), select('condition', ['new', 'good', 'fair'].map((c) => [c, t(`conditions.${c}`)]), 'good')),
    field(t('offer.size'), select('size', ['small', 'medium', 'large'].map((s) => [s, t(`sizes.${s}`)]), 'small')),
    h(
      'fieldset',
      {},
      h('legend', {}, t('offer.address')),
      h('p', { class: 'hint' }, t('offer.addressHint')),
      field(t('offer.street'), h('input', { name: 'street', required: true, autocomplete: 'street-address', maxlength: 200 })),
      h(
        'div',
        { class: 'row' },
        field(t('auth.postcode'), h('input', { name: 'postcode', required: true, inputmode: 'numeric', pattern: '[1-9][0-9]{3}', autocomplete: 'postal-code' })),
        field(t('auth.town'), h('input', { name: 'town', required: true, autocomplete: 'address-level2', maxlength: 100 })),
      ),
    ),
    h('fieldset', {}, h('legend', {}, t('offer.when')), h('p', { class: 'hint' }, t('offer.whenHint')), windows, addWindow),
    h('p', { class: 'hint' }, t('offer.noPhoto')),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('offer.submit')),
  );
  onSubmit(form, async () => {
    const data = formData(form);
    const availability = [];
    for (let i = 0; i < count; i++) {
      availability.push({ from: brusselsInstant(data[`day${i}`], data[`from${i}`]), to: brusselsInstant(data[`day${i}`], data[`to${i}`]) });
    }
    const offer = await post('/api/offers', {
      categoryCode: data.categoryCode,
      title: data.title,
      ...(data.description ? { description: data.description } : {}),
      quantity: Number(data.quantity),
      condition: data.condition,
      size: data.size,
      pickupAddress: { street: data.street, postcode: data.postcode, town: data.town },
      availability,
    });
    flash(t('offer.thanks', { title: offer.title }));
    navigate('#/donor');
  });
  return h('div', {}, pageTitle(t('offer.pageTitle')), h('p', { class: 'lead' }, t('offer.intro')), form);
}
