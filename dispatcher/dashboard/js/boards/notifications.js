// 通知 Notifications: the notify module's queue of messages to phones and
// webhooks (notify_list): what is waiting, sent but not delivered, or
// whose event still waits for an acknowledgement (every message with the
// switch), with state, recipient, channel, escalation level and attempts;
// a message's detail with its delivery log (notify_show); and the
// acknowledgement (notify_ack) for the roles that may give it. The queue's
// counts (notify_status) head the board. Kept live from the feed: a
// "notification" record change refetches the list and the open detail.
import * as api from '../api.js';
import { t, label } from '../i18n.js';
import { dateTime, esc, int } from '../format.js';
import { html, errorBox, toast, errorText } from '../dom.js';
import { can } from '../roles.js';

const kLimit = 500;
const kDebounceMs = 300;

function level(value) {
  const n = int(value);
  return n < 0 ? t('notifications.level_before') : String(n);
}

function recipient(n) {
  return `${esc(n.recipient_name ?? '')} <span class="muted">${esc(n.address ?? '')}</span>`;
}

function ackCell(n, session) {
  if (n.acknowledged_at) return esc(t('notifications.acked', { by: n.acknowledged_by ?? '', at: dateTime(n.acknowledged_at) }));
  if (!n.require_ack) return `<span class="muted">${esc(t('notifications.no_ack'))}</span>`;
  if (!can(session, 'notifications.ack')) return esc(t('notifications.needs_ack'));
  return `<button type="button" data-ack="${esc(n.id)}">${esc(t('notifications.ack'))}</button>`;
}

function row(n, session, selected) {
  return `<tr class="notification-row nstate-${esc(n.state)}${selected ? ' selected' : ''}" data-id="${esc(n.id)}">
    <td>${esc(dateTime(n.created_at))}</td><td>${esc(label('nkind', n.kind))}</td>
    <td class="nstate">${esc(label('nstate', n.state))}</td><td>${recipient(n)}</td>
    <td class="channel">${esc(label('channel', n.channel))}</td><td>${esc(level(n.level))}</td>
    <td>${esc(int(n.attempt))}</td><td class="ack">${ackCell(n, session)}</td>
    <td>${esc(n.unit_id ?? '')} <span class="muted">${esc(n.reference_id ?? '')}</span></td></tr>`;
}

function detail(n, session) {
  const log = (n.log ?? [])
    .map((line) => `<tr><td>${esc(dateTime(line.at))}</td><td>${esc(line.attempt_id ?? '')}</td><td>${esc(line.what)}</td><td>${esc(line.detail ?? '')}</td></tr>`)
    .join('');
  return `<h3>${esc(t('notifications.detail', { id: n.id }))}</h3>
    <dl class="facts">
      <dt>${esc(t('notifications.kind'))}</dt><dd>${esc(label('nkind', n.kind))}</dd>
      <dt>${esc(t('notifications.state'))}</dt><dd id="notification-state">${esc(label('nstate', n.state))}</dd>
      <dt>${esc(t('notifications.recipient'))}</dt><dd>${recipient(n)}</dd>
      <dt>${esc(t('notifications.channel'))}</dt><dd>${esc(label('channel', n.channel))}</dd>
      <dt>${esc(t('notifications.level'))}</dt><dd>${esc(level(n.level))}</dd>
      <dt>${esc(t('notifications.attempt'))}</dt><dd>${esc(int(n.attempt))}</dd>
      <dt>${esc(t('notifications.created'))}</dt><dd>${esc(dateTime(n.created_at))}</dd>
      <dt>${esc(t('notifications.sent_at'))}</dt><dd>${esc(dateTime(n.sent_at))}</dd>
      <dt>${esc(t('notifications.delivered_at'))}</dt><dd>${esc(dateTime(n.delivered_at))}</dd>
      <dt>${esc(t('notifications.last_error'))}</dt><dd class="bad">${esc(n.last_error ?? '')}</dd>
      <dt>${esc(t('notifications.ack_state'))}</dt><dd class="ack">${ackCell(n, session)}</dd>
      <dt>${esc(t('notifications.event'))}</dt><dd>${esc(n.event_id ?? '')}</dd>
      <dt>${esc(t('notifications.unit'))}</dt><dd>${esc(n.unit_id ?? '')}</dd>
      <dt>${esc(t('notifications.reference'))}</dt><dd>${esc(n.reference_id ?? '')}</dd>
      <dt>${esc(t('notifications.text'))}</dt><dd>${esc(n.text ?? '')}</dd>
    </dl>
    <h4>${esc(t('notifications.log'))}</h4>
    ${
      log
        ? `<table class="grid" id="notification-log"><thead><tr><th>${esc(t('notifications.log_at'))}</th><th>${esc(t('notifications.log_attempt'))}</th><th>${esc(
            t('notifications.log_what'),
          )}</th><th>${esc(t('notifications.log_detail'))}</th></tr></thead><tbody>${log}</tbody></table>`
        : `<p class="muted">${esc(t('notifications.log_empty'))}</p>`
    }`;
}

export function mount(container, { session }) {
  container.innerHTML = `<div class="board-head"><h2>${esc(t('notifications.title'))}</h2>
      <label class="check"><input type="checkbox" id="notifications-all">${esc(t('notifications.all'))}</label>
      <span class="count" id="notification-queue"></span></div>
    <div class="columns"><div id="notifications"></div><section class="card" id="notification-detail" hidden></section></div>`;
  const $ = (selector) => container.querySelector(selector);
  let selected = '';
  let notifications = [];

  const loadQueue = async () => {
    try {
      const queue = await api.call('notify_status', {}, 'notify_queue');
      const counts = Object.fromEntries(['waiting', 'sent', 'delivered', 'failed', 'escalated', 'unacknowledged'].map((k) => [k, int(queue[k])]));
      $('#notification-queue').textContent = `${t('notifications.queue', counts)} · ${t('notifications.gateway')}: ${queue.gateway ?? ''}`;
    } catch (error) {
      $('#notification-queue').textContent = errorText(error);
    }
  };

  const renderList = () => {
    const target = $('#notifications');
    if (!notifications.length) {
      target.replaceChildren(html(`<p class="muted" id="notifications-empty">${esc(t('notifications.empty'))}</p>`));
      return;
    }
    target.innerHTML = `<table class="grid" id="notification-table"><thead><tr><th>${esc(t('notifications.created'))}</th><th>${esc(t('notifications.kind'))}</th>
      <th>${esc(t('notifications.state'))}</th><th>${esc(t('notifications.recipient'))}</th><th>${esc(t('notifications.channel'))}</th>
      <th>${esc(t('notifications.level'))}</th><th>${esc(t('notifications.attempt'))}</th><th>${esc(t('notifications.ack_state'))}</th>
      <th>${esc(t('notifications.reference'))}</th></tr></thead><tbody>${notifications.map((n) => row(n, session, n.id === selected)).join('')}</tbody></table>`;
  };

  const loadList = async () => {
    try {
      const result = await api.call('notify_list', { all: $('#notifications-all').checked, limit: kLimit }, 'notifications');
      notifications = result.notifications ?? [];
      renderList();
    } catch (error) {
      $('#notifications').replaceChildren(errorBox(error));
    }
  };

  const loadDetail = async () => {
    const target = $('#notification-detail');
    if (!selected) {
      target.hidden = true;
      return;
    }
    target.hidden = false;
    try {
      const { notification } = await api.call('notify_show', { id: selected });
      target.innerHTML = detail(notification ?? {}, session);
    } catch (error) {
      target.replaceChildren(errorBox(error));
    }
  };

  const load = () => Promise.all([loadList(), loadQueue(), loadDetail()]);

  container.addEventListener('click', async (event) => {
    const ack = event.target.dataset?.ack;
    if (ack) {
      event.target.disabled = true;
      try {
        await api.call('notify_ack', { id: ack });
        toast(t('notifications.acknowledged'));
        load();
      } catch (error) {
        event.target.disabled = false;
        toast(errorText(error), 'error');
      }
      return;
    }
    const clicked = event.target.closest('.notification-row');
    if (!clicked) return;
    selected = clicked.dataset.id;
    renderList();
    loadDetail();
  });
  $('#notifications-all').addEventListener('change', loadList);
  load();

  let timer = null;
  return {
    onSnapshot: (snapshot, { initial }) => initial || load(),
    onItem: (item) => {
      if (item.record_changed?.kind !== 'notification' || timer) return;
      timer = setTimeout(() => ((timer = null), load()), kDebounceMs);
    },
    destroy: () => clearTimeout(timer),
  };
}
