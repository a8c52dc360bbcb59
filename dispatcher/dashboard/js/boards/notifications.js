// Notifications board: the slot for the SMS notifications (queued, sent,
// delivered, failed, acknowledged). The dispatcher has no request for them
// yet; until it does, the board says so rather than showing anything made up.
import { t } from '../i18n.js';
import { esc } from '../format.js';

export function mount(container) {
  container.innerHTML = `<div class="board-head"><h2>${esc(t('notifications.title'))}</h2></div>
    <p class="muted">${esc(t('notifications.pending'))}</p>`;
  return { destroy: () => {} };
}
