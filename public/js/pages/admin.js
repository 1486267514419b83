import { get, post, session } from '../api.js';
import { field, formData, h, select } from '../dom.js';
import { t } from '../i18n.js';
import { allHouses, houseName } from '../reference.js';
import { flash, onSubmit, pageTitle, section } from '../ui.js';

function pipelineTable(stage, counts) {
  return h(
    'table',
    { class: 'table', 'data-stage': stage },
    h('caption', {}, t(`pipeline.${stage}`)),
    h('tbody', {}, Object.entries(counts).map(([status, count]) => h('tr', {}, h('th', { scope: 'row' }, t(`pipelineStatus.${stage}.${status}`)), h('td', {}, String(count))))),
  );
}

export async function home({ refresh }) {
  const pipeline = await get('/api/pipeline');
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
    section(t('admin.newCoordinator'), form),
    section(t('admin.queues'), h('p', {}, t('admin.queuesHint')), h('a', { class: 'btn btn-secondary', href: '/admin/queues', id: 'queues-link' }, t('admin.openQueues'))),
  );
}
