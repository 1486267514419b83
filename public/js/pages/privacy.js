import { api, get, session } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { actionButton, flash, section } from '../ui.js';

/** "My data": download everything the service holds about me, or erase it. */
export function myData(navigate) {
  const confirmBox = h('div', { class: 'confirm', hidden: true });
  const download = actionButton(t('privacy.export'), async () => {
    const data = await get('/api/me/export');
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
    const link = h('a', { href: url, download: 'inkind-my-data.json', hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }, { id: 'export-data' });
  const erase = h('button', { type: 'button', class: 'btn btn-danger', id: 'erase-data', 'aria-expanded': 'false', 'aria-controls': 'erase-confirm' }, t('privacy.erase'));
  confirmBox.id = 'erase-confirm';
  confirmBox.append(
    h('p', {}, t('privacy.eraseWarning')),
    actionButton(t('privacy.eraseConfirm'), async () => {
      await api('DELETE', '/api/me');
      session.clear();
      flash(t('privacy.erased'));
      navigate('#/');
    }, { class: 'btn btn-danger', id: 'erase-confirm-button' }),
  );
  erase.addEventListener('click', () => {
    confirmBox.hidden = !confirmBox.hidden;
    erase.setAttribute('aria-expanded', String(!confirmBox.hidden));
  });
  return section(t('privacy.title'), h('p', {}, t('privacy.intro')), h('div', { class: 'actions' }, download, erase), confirmBox);
}
