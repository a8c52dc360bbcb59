// Reserve funds (备用金): accounts with balances against quotas, pending
// holds, an account's statement for a month, an incident's cost.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { dateTime, esc, money, zoneDay } from '../format.js';
import { html, errorBox } from '../dom.js';

export function mount(container, { feed }) {
  container.innerHTML = `<div class="board-head"><h2>${esc(t('funds.title'))}</h2></div>
    <div class="columns"><div>
      <section class="card"><h3>${esc(t('funds.accounts'))}</h3><div id="accounts"></div></section>
      <section class="card"><h3>${esc(t('funds.holds'))}</h3><div id="holds"></div></section>
    </div><div>
      <section class="card"><h3>${esc(t('funds.statement'))}</h3>
        <form class="filters" id="statement-form"><label>${esc(t('funds.account'))}<select name="account_id" id="statement-account"></select></label>
          <label>${esc(t('funds.period'))}<input name="period" value="${esc(zoneDay(feed.now()).slice(0, 7))}"></label>
          <button type="submit">${esc(t('funds.show'))}</button></form><div id="statement"></div></section>
      <section class="card"><h3>${esc(t('funds.incident_cost'))}</h3>
        <form class="filters" id="cost-form"><label>${esc(t('funds.incident'))}<input name="incident_id" required></label>
          <button type="submit">${esc(t('funds.show'))}</button></form><div id="cost"></div></section>
    </div></div>`;
  const $ = (selector) => container.querySelector(selector);

  const loadAccounts = async () => {
    try {
      const { accounts = [] } = await api.call('list_accounts', {}, 'accounts');
      $('#accounts').innerHTML = `<table class="grid"><thead><tr><th>${esc(t('funds.account'))}</th><th>${esc(t('funds.balance'))}</th>
        <th>${esc(t('funds.available'))}</th><th>${esc(t('funds.pending'))}</th><th>${esc(t('funds.quota'))}</th></tr></thead><tbody>
        ${accounts
          .map(
            (a) => `<tr class="${a.low_balance ? 'overdue' : ''}"><td>${esc(a.name || a.id)}<div class="muted">${esc(a.id)}</div></td><td>${money(a.balance_fen)}</td>
          <td>${money(a.available_fen)}</td><td>${money(a.pending_fen)}</td><td>${a.has_quota ? money(a.quota_fen) : '—'}${a.low_balance ? ` <span class="bad">${esc(t('funds.low'))}</span>` : ''}</td></tr>`,
          )
          .join('')}</tbody></table>`;
      const select = $('#statement-account');
      const chosen = select.value;
      select.innerHTML = accounts.map((a) => `<option value="${esc(a.id)}" ${a.id === chosen ? 'selected' : ''}>${esc(a.id)}</option>`).join('');
    } catch (error) {
      $('#accounts').replaceChildren(errorBox(error));
    }
  };
  const loadHolds = async () => {
    try {
      const { holds = [] } = await api.call('list_holds', {}, 'holds');
      $('#holds').innerHTML = `<table class="grid"><thead><tr><th>${esc(t('funds.hold'))}</th><th>${esc(t('funds.account'))}</th><th>${esc(t('funds.amount'))}</th>
        <th>${esc(t('funds.incident'))}</th><th>${esc(t('funds.reason'))}</th><th>${esc(t('funds.expires'))}</th></tr></thead><tbody>
        ${holds
          .map(
            (h) => `<tr><td>${esc(h.id)}</td><td>${esc(h.account_id)}</td><td>${money(h.remaining_fen ?? h.amount_fen)}</td>
          <td><a href="#/incident/${encodeURIComponent(h.incident_id ?? '')}">${esc(h.incident_id ?? '')}</a></td><td>${esc(h.reason)}</td><td>${esc(dateTime(h.expires_at))}</td></tr>`,
          )
          .join('')}</tbody></table>`;
    } catch (error) {
      $('#holds').replaceChildren(errorBox(error));
    }
  };
  $('#statement-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    try {
      const s = await api.call('statement', { account_id: data.get('account_id'), period: data.get('period') }, 'statement');
      $('#statement').innerHTML = `<p>${esc(s.first_day)} – ${esc(s.last_day)} · ${esc(t('funds.opening'))} ${money(s.opening_fen)} · ${esc(t('funds.credits'))} ${money(
        s.credits_fen,
      )} · ${esc(t('funds.debits'))} ${money(s.debits_fen)} · ${esc(t('funds.closing'))} ${money(s.closing_fen)}</p>
        <table class="grid"><tbody>${(s.lines ?? [])
          .map(
            (l) => `<tr><td>${esc(dateTime(l.at))}</td><td>${esc(l.code)}</td><td>${esc(l.reason)}</td><td>${esc(l.incident_id ?? '')}</td>
          <td>${money(l.amount_fen)}</td><td>${money(l.balance_after_fen)}</td></tr>`,
          )
          .join('')}</tbody></table>`;
    } catch (error) {
      $('#statement').replaceChildren(errorBox(error));
    }
  });
  $('#cost-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = new FormData(event.target).get('incident_id');
    try {
      const c = await api.call('incident_cost', { incident_id: id }, 'incident_cost');
      $('#cost').innerHTML = `<p>${esc(t('funds.estimated'))} ${money(c.estimated_fen)} · ${esc(t('funds.actual'))} ${money(c.actual_fen)} · ${esc(
        t('funds.variance'),
      )} ${money(c.variance_fen)} · ${esc(t('funds.pending'))} ${money(c.pending_fen)}</p>
        <table class="grid"><tbody>${(c.units ?? [])
          .map((u) => `<tr><td>${esc(u.unit_id)}</td><td>${money(u.estimated_fen)}</td><td>${money(u.held_fen)}</td><td>${money(u.actual_fen)}</td></tr>`)
          .join('')}</tbody></table>`;
    } catch (error) {
      $('#cost').replaceChildren(errorBox(error));
    }
  });
  const load = () => (loadAccounts(), loadHolds());
  load();
  let timer = null;
  return {
    onSnapshot: (snapshot, { initial }) => initial || load(),
    onItem: (item) => {
      if (!item.record_changed?.kind?.startsWith('funds_') || timer) return;
      timer = setTimeout(() => ((timer = null), load()), 1000);
    },
    destroy: () => clearTimeout(timer),
  };
}
