import { api, post, session } from '../api.js';
import { field, formData, h } from '../dom.js';
import { t } from '../i18n.js';
import { flash, HOME, onSubmit, pageTitle } from '../ui.js';

async function signIn(email, password, next, navigate) {
  const { accessToken, user } = await post('/api/auth/login', { email, password });
  session.set({ token: accessToken, user });
  navigate(next && next.startsWith(HOME[user.role]) ? next : HOME[user.role]);
}

export async function login({ query, navigate }) {
  const form = h(
    'form',
    { class: 'form', novalidate: false },
    field(t('auth.email'), h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true })),
    field(t('auth.password'), h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('auth.login')),
  );
  onSubmit(form, async () => {
    const { email, password } = formData(form);
    await signIn(email, password, query.get('next'), navigate);
  });
  return h(
    'div',
    { class: 'narrow' },
    pageTitle(t('auth.loginTitle')),
    query.get('next') ? h('p', { class: 'lead' }, t('auth.loginFirst')) : null,
    form,
    h('p', {}, t('auth.noAccount'), ' ', h('a', { href: `#/register${query.get('next') ? `?next=${encodeURIComponent(query.get('next'))}` : ''}` }, t('auth.registerLink'))),
  );
}

export async function register({ query, navigate }) {
  const role = query.get('role') === 'volunteer' ? 'volunteer' : 'donor';
  const radio = (value) =>
    h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'role', value, checked: value === role }), ' ', t(`auth.as.${value}`));
  const vehicle = h(
    'fieldset',
    { class: 'vehicle', hidden: role !== 'volunteer' },
    h('legend', {}, t('auth.vehicle')),
    ['none', 'car', 'van'].map((value) =>
      h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'vehicle', value, checked: value === 'car' }), ' ', t(`vehicles.${value}`)),
    ),
  );
  const form = h(
    'form',
    { class: 'form' },
    h('fieldset', {}, h('legend', {}, t('auth.iAm')), radio('donor'), radio('volunteer')),
    field(t('auth.name'), h('input', { name: 'name', autocomplete: 'name', required: true, maxlength: 100 })),
    field(t('auth.email'), h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true })),
    field(t('auth.password'), h('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: 10 }), t('auth.passwordHint')),
    field(t('auth.phone'), h('input', { type: 'tel', name: 'phone', autocomplete: 'tel' }), t('auth.phoneHint')),
    field(t('auth.postcode'), h('input', { name: 'postcode', inputmode: 'numeric', pattern: '[1-9][0-9]{3}', autocomplete: 'postal-code', required: role === 'volunteer' }), t('auth.postcodeHint')),
    field(t('auth.town'), h('input', { name: 'town', autocomplete: 'address-level2', required: role === 'volunteer' })),
    vehicle,
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('auth.register')),
  );
  form.addEventListener('change', (event) => {
    if (event.target.name !== 'role') return;
    const volunteer = event.target.value === 'volunteer';
    vehicle.hidden = !volunteer;
    form.elements.postcode.required = volunteer;
    form.elements.town.required = volunteer;
  });
  onSubmit(form, async () => {
    const data = formData(form);
    const body = { email: data.email, password: data.password, name: data.name, role: data.role };
    for (const key of ['phone', 'postcode', 'town']) if (data[key]) body[key] = data[key];
    if (data.role === 'volunteer') body.vehicle = data.vehicle;
    await api('POST', '/api/auth/register', body);
    flash(t('auth.welcome', { name: data.name }));
    await signIn(data.email, data.password, query.get('next'), navigate);
  });
  return h('div', { class: 'narrow' }, pageTitle(t('auth.registerTitle')), h('p', { class: 'lead' }, t('auth.registerIntro')), form);
}
