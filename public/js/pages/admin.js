import { api, get, post, session } from '../api.js';
import { append, field, formData, h, select } from '../dom.js';
import { t } from '../i18n.js';
import { allHouses, houseName } from '../reference.js';
import { actionButton, badge, empty, flash, onSubmit, pageTitle, section } from '../ui.js';

function pipelineTable(stage, counts) {
  return h(
    'table',
    { class: 'table', 'data-stage': stage },
    h('caption', {}, t(`pipeline.${stage}`)),
    h('tbody', {}, Object.entries(counts).map(([status, count]) => h('tr', {}, h('th', { scope: 'row' }, t(`pipelineStatus.${stage}.${status}`)), h('td', {}, String(count))))),
  );
}

/** Every coordinator, house by house: the list is short (a few a house), so all pages are read. */
async function coordinators() {
  const all = [];
  let cursor = null;
  do {
    const page = await get(`/api/users?role=coordinator&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all.sort((a, b) => houseName(a.houseSlug).localeCompare(houseName(b.houseSlug)) || a.name.localeCompare(b.name));
}

/**
 * Erasing an account (a coordinator who left, a donor who asks for it by e-mail) after a second
 * click: their personal data goes, the anonymised history stays. An admin's account is not erased so.
 */
function eraseButton(user, refresh) {
  if (user.role === 'admin') return null;
  const confirm = actionButton(
    t('admin.removeConfirm', { name: user.name }),
    async () => {
      await api('DELETE', `/api/users/${user.id}`);
      flash(user.role === 'coordinator' ? t('admin.removed', { name: user.name, house: houseName(user.houseSlug) }) : t('admin.erased', { name: user.name }));
      await refresh();
    },
    { class: 'btn btn-danger', hidden: true, 'data-action': 'remove-confirm' },
  );
  const ask = h('button', { type: 'button', class: 'btn btn-secondary', 'data-action': 'remove', 'aria-expanded': 'false' }, t('admin.remove'));
  ask.addEventListener('click', () => {
    confirm.hidden = !confirm.hidden;
    ask.setAttribute('aria-expanded', String(!confirm.hidden));
    if (!confirm.hidden) confirm.focus();
  });
  return h('div', { class: 'actions' }, ask, confirm);
}

/** Accounts as cards, as the other pages list their items: a table of e-mail addresses does not fit a phone. */
function accountList(users, attrs, refresh) {
  return h(
    'ul',
    { class: 'cards', ...attrs },
    users.map((user) =>
      h(
        'li',
        { class: 'card account', 'data-user': user.id },
        h('div', { class: 'card-head' }, h('h3', {}, user.name), user.houseSlug ? badge(houseName(user.houseSlug), 'house') : badge(t(`roles.${user.role}`), 'role')),
        h('p', { class: 'meta email' }, user.email),
        eraseButton(user, refresh),
      ),
    ),
  );
}

/** Finds an account by part of its name or e-mail address: for a person who asks, by mail or phone, to be erased. */
function accountSearch(refresh) {
  const results = h('div', { id: 'account-results', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'form', id: 'find-account', role: 'search' },
    field(t('admin.search'), h('input', { type: 'search', name: 'q', required: true, maxlength: 100 }), t('admin.searchHint')),
    h('button', { type: 'submit', class: 'btn btn-secondary' }, t('admin.searchButton')),
  );
  onSubmit(form, async () => {
    const { q } = formData(form);
    const page = await get(`/api/users?q=${encodeURIComponent(q)}&limit=20`);
    results.replaceChildren();
    append(results, [
      page.items.length ? accountList(page.items, { 'aria-label': t('admin.found') }, refresh) : empty(t('admin.noAccounts')),
      page.nextCursor ? h('p', { class: 'hint' }, t('admin.moreAccounts')) : null,
    ]);
  });
  return h('div', {}, form, results);
}

export async function home({ refresh }) {
  const [pipeline, team] = await Promise.all([get('/api/pipeline'), coordinators()]);
  // The queue dashboard is opened by following a link, which cannot carry the bearer token.
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `inkind_dashboard_token=${encodeURIComponent(session.get().token)}; path=/admin/queues; SameSite=Strict${secure}`;
  const form = h(
    'form',
    { class: 'form', id: 'new-coordinator' },
    field(t('auth.name'), h('input', { name: 'name', required: true, maxlength: 100 })),
    field(t('auth.email'), h('input', { type: 'email', name: 'email', required: true })),
    field(t('auth.password'), h('input', { type: 'password', name: 'password', required: true, minlength: 10, autocomplete: 'new-password' }), t('auth.passwordHint')),
    field(t('admin.house'), select('houseSlug', allHouses().map((house) => [house.slug, house.name]), undefined, { required: true })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('admin.create')),
  );
  onSubmit(form, async () => {
    const data = formData(form);
    await post('/api/users', { ...data, role: 'coordinator' });
    flash(t('admin.created', { name: data.name, house: houseName(data.houseSlug) }));
    await refresh();
  });
  return h(
    'div',
    {},
    pageTitle(t('admin.title')),
    section(t('admin.pipeline'), h('div', { class: 'tables' }, Object.entries(pipeline).map(([stage, counts]) => pipelineTable(stage, counts)))),
    section(
      t('admin.coordinators'),
      team.length ? accountList(team, { id: 'coordinators', 'aria-label': t('admin.coordinators') }, refresh) : empty(t('admin.noCoordinators')),
    ),
    section(t('admin.findAccount'), accountSearch(refresh)),
    section(t('admin.newCoordinator'), form),
    section(t('admin.queues'), h('p', {}, t('admin.queuesHint')), h('a', { class: 'btn btn-secondary', href: '/admin/queues', id: 'queues-link' }, t('admin.openQueues'))),
  );
}
