import { get } from '../api.js';
import { h, select } from '../dom.js';
import { formatDate, language, t } from '../i18n.js';
import { allCategories, allHouses, categoryLabel, categoryOptions, house as findHouse, houseName } from '../reference.js';
import { empty, pageTitle, urgencyBadge } from '../ui.js';

const URGENCY_ORDER = { urgent: 0, high: 1, normal: 2, low: 3 };

async function openNeeds(houseSlug) {
  const items = [];
  let cursor = null;
  do {
    const params = new URLSearchParams({ status: 'open', limit: '100' });
    if (houseSlug) params.set('house', houseSlug);
    if (cursor) params.set('cursor', cursor);
    const page = await get(`/api/needs?${params}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < 500);
  return items.sort((a, b) => URGENCY_ORDER[a.urgency] - URGENCY_ORDER[b.urgency] || a.createdAt.localeCompare(b.createdAt));
}

function needCard(need) {
  // What is promised by proposals and accepted offers is on its way: a donor should not offer it again.
  const stillNeeded = Math.max(0, need.quantity - need.quantityAllocated - need.quantityDelivered);
  return h(
    'li',
    { class: 'card need', 'data-need': need.id },
    h('div', { class: 'card-head' }, h('h3', {}, need.title), urgencyBadge(need.urgency)),
    h('p', { class: 'meta' }, categoryLabel(need.categoryCode), ' · ', stillNeeded > 0 ? t('wishlist.stillNeeded', { count: stillNeeded }) : t('wishlist.allPromised')),
    need.description ? h('p', {}, need.description) : null,
    need.neededBy ? h('p', { class: 'meta' }, t('wishlist.neededBy', { date: formatDate(need.neededBy) })) : null,
    stillNeeded > 0 ? h('a', { class: 'btn btn-small', href: `#/donor/offer?category=${encodeURIComponent(need.categoryCode)}` }, t('wishlist.offerThis')) : null,
  );
}

export async function wishlist({ query, navigate }) {
  const category = query.get('category') ?? '';
  const needs = (await openNeeds()).filter((need) => !category || need.categoryCode === category);
  const filter = select('category', [['', t('wishlist.allCategories')], ...categoryOptions()], category, { id: 'category-filter' });
  filter.addEventListener('change', () => navigate(filter.value ? `#/?category=${encodeURIComponent(filter.value)}` : '#/'));
  return h(
    'div',
    {},
    pageTitle(t('wishlist.title')),
    h('p', { class: 'lead' }, t('wishlist.intro')),
    h('div', { class: 'field inline' }, h('label', { for: 'category-filter' }, t('wishlist.filter')), filter),
    allHouses().map((house) => {
      const own = needs.filter((need) => need.houseSlug === house.slug);
      return h(
        'section',
        { class: 'house-needs', 'aria-labelledby': `house-${house.slug}` },
        h('h2', { id: `house-${house.slug}` }, h('a', { href: `#/house/${house.slug}` }, houseName(house.slug)), h('span', { class: 'town' }, ` · ${house.town}`)),
        own.length ? h('ul', { class: 'cards' }, own.map(needCard)) : empty(t('wishlist.nothing')),
      );
    }),
  );
}

export async function house({ params }) {
  const slug = params[0];
  const found = findHouse(slug);
  if (!found) return h('div', {}, pageTitle(t('common.notFound')));
  const needs = await openNeeds(slug);
  return h(
    'div',
    {},
    pageTitle(houseName(slug)),
    h('p', { class: 'lead' }, found.name),
    h('p', { class: 'meta' }, `${found.postcode} ${found.town}, ${found.province}`),
    h('section', { class: 'panel' }, h('h2', {}, t('house.who')), h('p', {}, found.about[language()])),
    h('p', { class: 'meta' }, t('house.languages', { languages: found.languages.map((l) => t(`languages.${l}`)).join(', ') })),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'house-needs' },
      h('h2', { id: 'house-needs' }, t('house.needs')),
      needs.length ? h('ul', { class: 'cards' }, needs.map(needCard)) : empty(t('wishlist.nothing')),
    ),
  );
}

export async function help() {
  return h(
    'div',
    {},
    pageTitle(t('help.title')),
    h('p', { class: 'lead' }, t('help.intro')),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, t('help.donorTitle')),
      h('ol', { class: 'steps' }, ['1', '2', '3', '4'].map((n) => h('li', {}, t(`help.donorStep${n}`)))),
      h('a', { class: 'btn', href: '#/register?role=donor' }, t('help.becomeDonor')),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, t('help.volunteerTitle')),
      h('ol', { class: 'steps' }, ['1', '2', '3'].map((n) => h('li', {}, t(`help.volunteerStep${n}`)))),
      h('a', { class: 'btn', href: '#/register?role=volunteer' }, t('help.becomeVolunteer')),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, t('help.whatTitle')),
      h('ul', {}, allCategories().map((c) => h('li', {}, categoryLabel(c.code)))),
      h('p', {}, t('help.sizes')),
    ),
  );
}
