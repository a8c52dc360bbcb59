// Units board: per unit, its agent (online/offline, last seen, clock
// offset when the server reports one), today's daily report, screening for
// the current ten-day period / month / quarter, open and overdue ledger
// items, and its reserve fund against its quota. Each column comes from
// one request for all units; a feed item naming that kind of record
// refetches only that request (debounced), so 1,000 units cost a few
// requests, not one per unit.
import * as api from '../api.js';
import { VirtualList } from '../virtual_list.js';
import { t, label } from '../i18n.js';
import { dateTime, esc, money, zoneDay, int } from '../format.js';
import { html, errorText } from '../dom.js';

const kRowHeight = 32;
const kDebounceMs = 1500;

// The current ten-day period, month and quarter in Asia/Shanghai.
function currentPeriods(nowMs) {
  const [year, month, day] = zoneDay(nowMs).split('-').map(Number);
  return {
    ten_day: { kind: 'PERIOD_KIND_TEN_DAY', year, index: month, ten_day: day <= 10 ? 1 : day <= 20 ? 2 : 3 },
    month: { kind: 'PERIOD_KIND_MONTH', year, index: month },
    quarter: { kind: 'PERIOD_KIND_QUARTER', year, index: Math.floor((month - 1) / 3) + 1 },
  };
}

// AgentInfo's measured clock offset (clock_offset_ms: the dispatcher's
// clock minus the agent's, ± half clock_round_trip_ms), or "unknown" while
// the server has none (an older agent, or no exchange measured yet).
function clockOffset(agent) {
  if (agent?.clock_offset_ms === undefined || agent.clock_offset_ms === null) return t('app.unknown');
  const ms = Number(agent.clock_offset_ms);
  const within = agent.clock_round_trip_ms !== undefined ? ` ±${(Number(agent.clock_round_trip_ms) / 2000).toFixed(1)}` : '';
  return `${ms >= 0 ? '+' : ''}${(ms / 1000).toFixed(1)}${within} s`;
}

export function mount(container, { feed }) {
  const sources = {
    agents: { request: () => api.call('list_agents', {}, 'list_agents'), data: null, error: null },
    daily: { request: () => api.call('daily_summary', { day: zoneDay(feed.now()) }, 'daily_summary'), data: null, error: null },
    ten_day: { request: () => api.call('screening_status', { period: currentPeriods(feed.now()).ten_day }, 'screening_status'), data: null, error: null },
    month: { request: () => api.call('screening_status', { period: currentPeriods(feed.now()).month }, 'screening_status'), data: null, error: null },
    quarter: { request: () => api.call('screening_status', { period: currentPeriods(feed.now()).quarter }, 'screening_status'), data: null, error: null },
    accounts: { request: () => api.call('list_accounts', {}, 'accounts'), data: null, error: null },
  };
  // Which feed record kinds make which sources stale.
  const staleBy = {
    daily_report: ['daily'],
    ledger_item: ['daily'],
    screening_report: ['ten_day', 'month', 'quarter'],
    funds_account: ['accounts'],
    funds_transfer: ['accounts'],
    funds_hold: ['accounts'],
    funds_quota_change: ['accounts'],
  };

  container.append(
    html(`<div class="board-head"><h2>${esc(t('units.title'))}</h2><span class="count" id="unit-count"></span></div>`),
    html(`<div class="table-head unit-grid">
      <span>${esc(t('units.unit'))}</span><span>${esc(t('units.agent'))}</span><span>${esc(t('units.last_seen'))}</span>
      <span>${esc(t('units.clock_offset'))}</span><span>${esc(t('units.daily'))}</span><span>${esc(t('units.ten_day'))}</span>
      <span>${esc(t('units.month'))}</span><span>${esc(t('units.quarter'))}</span><span>${esc(t('units.open_items'))}</span>
      <span>${esc(t('units.overdue_items'))}</span><span>${esc(t('units.reserve'))}</span></div>`),
  );
  const errors = html('<div class="status-line"></div>');
  const body = html('<div class="table-body"></div>');
  container.append(errors, body);

  let rows = [];
  const screening = (row) => {
    if (!row) return '<span class="muted">—</span>';
    if (row.zero_report) return `<span class="ok">${esc(t('report.zero_report'))}</span>`;
    if (row.filed) return `<span class="ok">${esc(t(row.late ? 'report.late' : 'report.filed'))}</span>`;
    if (row.overdue) return `<span class="bad">${esc(t('report.overdue'))}</span>`;
    return `<span class="muted">${esc(t('report.pending'))}</span>`;
  };
  const list = new VirtualList(body, kRowHeight, (row, element) => {
    element.className = 'virtual-row unit-grid unit-row';
    const a = row.agent;
    const reserve = row.account
      ? `${money(row.account.balance_fen)} / ${row.account.has_quota ? money(row.account.quota_fen) : '—'}${row.account.low_balance ? ` <span class="bad">${esc(t('funds.low'))}</span>` : ''}`
      : '—';
    const daily = row.daily?.report;
    element.innerHTML = `<span class="unit-id">${esc(row.unit)}</span>
      <span class="${a ? (a.online ? 'ok' : 'bad') : 'muted'}">${esc(a ? (a.enrolled === false ? t('units.not_enrolled') : t(a.online ? 'units.online' : 'units.offline')) : '—')}</span>
      <span>${esc(a ? dateTime(a.last_seen) : '')}</span><span class="${a?.clock_wrong ? 'bad' : ''}">${esc(clockOffset(a))}</span>
      <span class="${daily === 'missing' ? 'bad' : daily ? 'ok' : 'muted'}">${esc(daily ? label('report', daily) : '—')}</span>
      <span>${screening(row.ten_day)}</span><span>${screening(row.month)}</span><span>${screening(row.quarter)}</span>
      <span>${row.daily ? int(row.daily.open_items) : '—'}</span>
      <span class="${int(row.daily?.overdue_items) ? 'bad' : ''}">${row.daily ? int(row.daily.overdue_items) : '—'}</span>
      <span>${reserve}</span>`;
  });

  const rebuild = () => {
    const byUnit = new Map();
    const entry = (unit) => {
      if (!unit) return null;
      if (!byUnit.has(unit)) byUnit.set(unit, { unit });
      return byUnit.get(unit);
    };
    for (const agent of sources.agents.data?.agents ?? []) entry(agent.unit_id).agent = agent;
    for (const row of sources.daily.data?.rows ?? []) entry(row.unit_id).daily = row;
    for (const kind of ['ten_day', 'month', 'quarter']) for (const row of sources[kind].data?.rows ?? []) entry(row.unit_id)[kind] = row;
    for (const account of sources.accounts.data?.accounts ?? []) if (account.kind === 'reserve' && account.unit_id) entry(account.unit_id).account = account;
    rows = [...byUnit.values()].sort((a, b) => (a.unit < b.unit ? -1 : 1));
    // A refused column (a role that may not see funds, say) is said once.
    const refused = Object.entries(sources).filter(([, s]) => s.error);
    errors.replaceChildren(...refused.map(([name, s]) => html(`<div class="error small">${esc(name)}: ${esc(errorText(s.error))}</div>`)));
    container.querySelector('#unit-count').textContent = t('app.rows', { n: rows.length });
    list.setRows(rows);
  };

  const refresh = async (names) => {
    await Promise.all(
      names.map(async (name) => {
        try {
          sources[name].data = await sources[name].request();
          sources[name].error = null;
        } catch (error) {
          sources[name].error = error;
        }
      }),
    );
    rebuild();
  };
  const all = Object.keys(sources);
  refresh(all);

  const stale = new Set();
  let timer = null;
  const markStale = (names) => {
    for (const name of names) stale.add(name);
    if (!timer)
      timer = setTimeout(() => {
        timer = null;
        const names = [...stale];
        stale.clear();
        refresh(names);
      }, kDebounceMs);
  };

  return {
    onSnapshot: (snapshot, { initial }) => initial || refresh(all),
    onItem: (item) => {
      if (item.agent_status) {
        const agent = (sources.agents.data?.agents ?? []).find((a) => a.unit_id === item.agent_status.unit_id);
        if (agent) {
          agent.online = item.agent_status.online;
          agent.last_seen = item.agent_status.last_seen;
          list.refreshVisible();
        } else markStale(['agents']);
      }
      const kind = item.record_changed?.kind;
      if (kind && staleBy[kind]) markStale(staleBy[kind]);
    },
    destroy: () => {
      clearTimeout(timer);
      list.destroy();
    },
  };
}
