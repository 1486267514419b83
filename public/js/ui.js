import { h } from './dom.js';
import { t } from './i18n.js';

/** Where each role lands after signing in. */
export const HOME = { donor: '#/donor', volunteer: '#/volunteer', coordinator: '#/coordinator', admin: '#/admin' };

/** A message at the top of the page, read out by screen readers; kept across one navigation. */
export function flash(message, kind = 'ok') {
  const box = document.getElementById('flash');
  box.replaceChildren(message ? h('p', { class: `flash flash-${kind}` }, message) : '');
  box.dataset.keep = message ? '1' : '';
}

export function clearFlash() {
  const box = document.getElementById('flash');
  if (box.dataset.keep === '1') box.dataset.keep = '';
  else box.replaceChildren();
}

export function showError(error) {
  flash(t('common.error', { message: error?.message ?? String(error) }), 'error');
  document.getElementById('flash').scrollIntoView({ block: 'nearest' });
}

/** A button that runs an async action once at a time; errors go to the flash region. */
export function actionButton(label, action, attrs = {}) {
  const button = h('button', { type: 'button', class: 'btn', ...attrs }, label);
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      await action();
    } catch (error) {
      showError(error);
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
  return button;
}

/** Submits a form through an async handler, with the same error handling as actionButton. */
export function onSubmit(form, handler) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submit = form.querySelector('[type=submit]');
    if (submit?.disabled) return;
    if (submit) submit.disabled = true;
    try {
      await handler(form);
    } catch (error) {
      showError(error);
    } finally {
      if (submit) submit.disabled = false;
    }
  });
  return form;
}

export const badge = (text, kind) => h('span', { class: `badge badge-${kind}` }, text);

export const urgencyBadge = (urgency) => badge(t(`urgency.${urgency}`), `urgency-${urgency}`);

export function section(title, ...children) {
  return h('section', { class: 'panel', 'aria-label': title }, h('h2', {}, title), ...children);
}

export const empty = (text) => h('p', { class: 'empty' }, text);

export function pageTitle(text) {
  return h('h1', { tabindex: '-1', id: 'page-title' }, text);
}
