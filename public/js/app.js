import { api, session } from './api.js';
import { h } from './dom.js';
import { LANGUAGES, preferredLanguage, setLanguage, t } from './i18n.js';
import { loadReference } from './reference.js';
import { clearFlash, HOME, showError } from './ui.js';
import * as publicPages from './pages/public.js';
import * as auth from './pages/auth.js';
import * as donor from './pages/donor.js';
import * as coordinator from './pages/coordinator.js';
import * as volunteer from './pages/volunteer.js';
import * as admin from './pages/admin.js';


/** Hash routes: [pattern, view, role that may open it]. */
const ROUTES = [
  [/^\/$/, publicPages.wishlist],
  [/^\/house\/([a-z-]+)$/, publicPages.house],
  [/^\/help$/, publicPages.help],
  [/^\/login$/, auth.login],
  [/^\/register$/, auth.register],
  [/^\/donor$/, donor.home, 'donor'],
  [/^\/donor\/offer$/, donor.newOffer, 'donor'],
  [/^\/coordinator$/, coordinator.home, 'coordinator'],
  [/^\/volunteer$/, volunteer.home, 'volunteer'],
  [/^\/admin$/, admin.home, 'admin'],
];

let renders = 0;

export function navigate(hash) {
  if (location.hash === hash) void render();
  else location.hash = hash;
}

export async function render() {
  const mine = ++renders;
  const [path, queryString = ''] = (location.hash.slice(1) || '/').split('?');
  const query = new URLSearchParams(queryString);
  renderChrome();
  clearFlash();
  const view = document.getElementById('view');
  view.setAttribute('aria-busy', 'true');
  let content;
  try {
    const route = ROUTES.find(([pattern]) => pattern.test(path));
    if (!route) {
      content = h('div', {}, h('h1', { tabindex: '-1', id: 'page-title' }, t('common.notFound')), h('p', {}, h('a', { href: '#/' }, t('nav.wishlist'))));
    } else {
      const [pattern, build, role] = route;
      const user = session.get()?.user;
      if (role && user?.role !== role) {
        location.replace(`#/login?next=${encodeURIComponent(`#${path}${queryString ? `?${queryString}` : ''}`)}`);
        return;
      }
      content = await build({ params: path.match(pattern).slice(1), query, user, navigate, refresh });
    }
  } catch (error) {
    if (error?.status === 401 && mine === renders) {
      // The session ended (expired token, erased account): log in again and come back here.
      location.replace(`#/login?next=${encodeURIComponent(`#${path}${queryString ? `?${queryString}` : ''}`)}`);
      return;
    }
    content = h('div', {}, h('h1', { tabindex: '-1', id: 'page-title' }, t('common.oops')));
    if (mine === renders) showError(error);
  }
  if (mine !== renders) return; // a newer navigation won
  view.replaceChildren(content);
  view.removeAttribute('aria-busy');
  document.title = `${document.getElementById('page-title')?.textContent ?? ''} · inkind`;
  // After a navigation inside the app, screen readers start at the new heading; on the first
  // load the browser's own order holds, with the skip link first.
  if (!render.keepFocus && document.body.dataset.ready === 'true') document.getElementById('page-title')?.focus();
  render.keepFocus = false;
}

/** Re-renders the current page after an action, leaving the focus where the person is. */
export function refresh() {
  render.keepFocus = true;
  return render();
}

function renderChrome() {
  const user = session.get()?.user;
  const link = (href, label) => {
    const current = (location.hash || '#/').split('?')[0] === href;
    return h('li', {}, h('a', { href, 'aria-current': current ? 'page' : undefined }, label));
  };
  const items = [link('#/', t('nav.wishlist')), link('#/help', t('nav.help'))];
  if (user) {
    items.push(link(HOME[user.role], t(`nav.home.${user.role}`)));
    items.push(
      h('li', {}, h('button', { type: 'button', class: 'linklike', id: 'logout', onClick: () => { session.clear(); navigate('#/'); } }, t('nav.logout'))),
    );
  } else {
    items.push(link('#/login', t('nav.login')), link('#/register', t('nav.register')));
  }
  document.getElementById('nav').replaceChildren(h('ul', {}, items));
  document.getElementById('nav').setAttribute('aria-label', t('nav.label'));
  document.getElementById('skip-link').textContent = t('nav.skip');
  document.getElementById('lang-label').textContent = t('nav.language');
  document.getElementById('footer').replaceChildren(
    ...[h('p', {}, t('footer.text')), user ? h('p', { class: 'who' }, t('footer.signedIn', { name: user.name, role: t(`roles.${user.role}`) })) : null].filter(Boolean),
  );
}

async function start() {
  const chooser = document.getElementById('lang-select');
  await setLanguage(preferredLanguage());
  chooser.value = document.documentElement.lang;
  chooser.addEventListener('change', async () => {
    if (!LANGUAGES.includes(chooser.value)) return;
    await setLanguage(chooser.value);
    // Signed in: notifications, e-mails and the calendar follow the choice too.
    const current = session.get();
    if (current?.token) {
      const user = await api('PATCH', '/api/me', { language: chooser.value }).catch(() => undefined);
      if (user) session.set({ ...current, user });
    }
    await render();
  });
  document.getElementById('lang-form').addEventListener('submit', (event) => event.preventDefault());
  // "#main" would be taken for a route: the skip link moves the focus itself.
  document.getElementById('skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    document.getElementById('main').focus();
  });
  await loadReference();
  window.addEventListener('hashchange', () => void render());
  await render();
  document.body.dataset.ready = 'true';
}

start().catch(showError);
