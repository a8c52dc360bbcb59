// The wall screen (大屏) for the command center's big display: dark, fills
// the screen, needs no interaction. The day's figures (daily summary,
// agents, alerts), ECharts charts (incidents by state, open and overdue
// ledger items by unit), and the most urgent open incidents with their
// countdowns, all kept live from the feed.
import * as api from '../api.js';
import { IncidentStore, urgency } from '../incident_store.js';
import { t, label } from '../i18n.js';
import { countdown, dateTime, esc, int, zoneDay } from '../format.js';
import { errorText } from '../dom.js';

const kStates = ['INCIDENT_STATE_REPORTED', 'INCIDENT_STATE_DISPATCHED', 'INCIDENT_STATE_EN_ROUTE', 'INCIDENT_STATE_ON_SCENE', 'INCIDENT_STATE_SETTLED', 'INCIDENT_STATE_AFTERMATH'];
const kTopUnits = 15;
const kDebounceMs = 1500;

export function mount(container, { session, feed }) {
  const store = new IncidentStore(session.role === 'unit_officer' ? session.unitId : '');
  let daily = null;
  let agents = null;
  let alerts = null;
  let problems = {};
  container.innerHTML = `<div class="wall">
    <header class="wall-head"><h1>${esc(t('wall.title'))}</h1><span class="wall-day" id="wall-day"></span><span class="wall-clock" id="wall-clock"></span></header>
    <div class="wall-kpis" id="wall-kpis"></div>
    <div class="wall-main">
      <div class="wall-charts">
        <div class="wall-panel"><h2>${esc(t('wall.by_state'))}</h2><div class="chart" id="chart-states"></div></div>
        <div class="wall-panel"><h2>${esc(t('wall.by_unit'))}</h2><div class="chart" id="chart-units"></div></div>
      </div>
      <div class="wall-panel wall-incidents"><h2>${esc(t('wall.open_incidents'))}</h2><div id="wall-incidents"></div></div>
    </div>
    <div class="wall-foot" id="wall-foot"></div>
  </div>`;
  const $ = (selector) => container.querySelector(selector);
  const charts = {};
  const chart = (id) => {
    if (!window.echarts) return null;
    if (!charts[id]) charts[id] = window.echarts.init($(`#${id}`), 'dark', { renderer: 'canvas' });
    return charts[id];
  };
  const resize = () => Object.values(charts).forEach((c) => c.resize());
  window.addEventListener('resize', resize);

  const kpi = (id, title, value, kind = '') => `<div class="kpi ${kind}" id="kpi-${id}"><div class="kpi-value">${esc(value)}</div><div class="kpi-title">${esc(title)}</div></div>`;

  const renderFigures = () => {
    renderKpis();
    renderCharts(store.rows());
  };

  const renderKpis = () => {
    const now = feed.now();
    const rows = store.rows();
    const incidents = new Set(rows.map((r) => r.incident.id));
    let breached = 0;
    let near = 0;
    for (const row of rows) {
      const u = urgency(row.response, now);
      if (u === 'breached') breached++;
      else if (u === 'near') near++;
    }
    const totals = daily?.totals ?? {};
    const online = (agents ?? []).filter((a) => a.online).length;
    $('#wall-kpis').innerHTML = [
      kpi('open', t('wall.open_incidents'), incidents.size),
      kpi('breached', t('wall.breached'), breached, breached ? 'bad' : ''),
      kpi('near', t('wall.near'), near, near ? 'warn' : ''),
      kpi('agents', t('wall.agents_online'), agents ? `${online}/${agents.length}` : '—', agents && online < agents.length ? 'warn' : ''),
      kpi('new', t('wall.new_items'), daily ? int(totals.new_items) : '—'),
      kpi('open-items', t('wall.open_items'), daily ? int(totals.open_items) : '—'),
      kpi('overdue', t('wall.overdue_items'), daily ? int(totals.overdue_items) : '—', int(totals.overdue_items) ? 'bad' : ''),
      kpi('warnings', t('wall.warnings'), daily ? int(totals.warnings) : '—'),
      kpi('special', t('wall.special_reports'), daily ? int(totals.special_reports) : '—', int(totals.special_reports) ? 'warn' : ''),
      kpi('visits', t('wall.visits'), daily ? `${int(totals.visit_batches)}/${int(totals.visit_persons)}` : '—'),
    ].join('');
    const unreported = daily?.units_not_reported ?? [];
    const open = (alerts ?? []).slice(0, 4).map((a) => `<span class="alert-chip severity-${esc(a.severity)}">${esc(a.text)}</span>`).join('');
    const errors = Object.entries(problems).map(([name, error]) => `<span class="bad">${esc(name)}: ${esc(errorText(error))}</span>`).join(' ');
    $('#wall-foot').innerHTML = `<span>${esc(t('wall.unreported'))}: ${esc(unreported.join('、') || t('app.none'))}</span>
      <span>${esc(t('wall.alerts'))}: ${alerts ? alerts.length : '—'} ${open}</span> ${errors}`;
  };

  const renderCharts = (rows) => {
    const states = chart('chart-states');
    if (states) {
      const counts = new Map(kStates.map((s) => [s, 0]));
      const seen = new Set();
      for (const row of rows) {
        if (seen.has(row.incident.id)) continue;
        seen.add(row.incident.id);
        counts.set(row.incident.state, (counts.get(row.incident.state) ?? 0) + 1);
      }
      states.setOption({
        backgroundColor: 'transparent',
        tooltip: { trigger: 'item' },
        series: [{ type: 'pie', radius: ['40%', '70%'], label: { color: '#cfe3ff', fontSize: 16 }, data: [...counts].filter(([, n]) => n).map(([s, n]) => ({ name: label('state', s), value: n })) }],
      });
    }
    const units = chart('chart-units');
    if (units) {
      const top = [...(daily?.rows ?? [])].sort((a, b) => int(b.open_items) - int(a.open_items)).slice(0, kTopUnits);
      units.setOption({
        backgroundColor: 'transparent',
        tooltip: { trigger: 'axis' },
        // The legend on top and the rotated unit names inside the grid's
        // room (containLabel), so neither covers the other.
        legend: { data: [t('wall.open_items'), t('wall.overdue_items')], top: 0, left: 'center', textStyle: { color: '#cfe3ff' } },
        grid: { left: 8, right: 24, top: 36, bottom: 14, containLabel: true },
        xAxis: { type: 'category', data: top.map((r) => r.unit_id), axisLabel: { color: '#cfe3ff', rotate: 30 } },
        yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#cfe3ff' } },
        series: [
          { name: t('wall.open_items'), type: 'bar', data: top.map((r) => int(r.open_items)), itemStyle: { color: '#3aa0ff' } },
          { name: t('wall.overdue_items'), type: 'bar', data: top.map((r) => int(r.overdue_items)), itemStyle: { color: '#ff4d4f' } },
        ],
      });
    }
  };

  // The most urgent rows that fit; the rest are counted.
  const renderIncidents = () => {
    const target = $('#wall-incidents');
    const rows = store.rows();
    const fit = Math.max(4, Math.floor((target.clientHeight || 600) / 44) - 1);
    const now = feed.now();
    const shown = rows.slice(0, fit);
    target.innerHTML =
      shown
        .map((row) => {
          const u = urgency(row.response, now);
          const text = u === 'arrived' ? t('incidents.arrived', { at: dateTime(row.response.arrived_at).slice(11) }) : u === 'no_rule' ? t('incidents.no_rule') : countdown(row.deadlineMs - now);
          return `<div class="wall-row u-${u}" data-incident="${esc(row.incident.id)}"><span class="wall-countdown">${esc(text)}</span>
            <span class="wall-summary">${esc(row.incident.report?.summary ?? row.incident.id)}</span>
            <span>${esc(row.response.unit_id)}</span><span>${esc(label('state', row.incident.state))}</span><span>${esc(row.assignment?.team_id ?? '')}</span></div>`;
        })
        .join('') + (rows.length > fit ? `<div class="muted">+${rows.length - fit}</div>` : '') + (store.loaded && !rows.length ? `<div class="muted">${esc(t('incidents.empty'))}</div>` : '');
  };

  const fetchers = {
    daily: async () => (daily = await api.call('daily_summary', { day: zoneDay(feed.now()) }, 'daily_summary')),
    agents: async () => (agents = (await api.call('list_agents', {}, 'list_agents')).agents ?? []),
    alerts: async () => (alerts = (await api.call('list_alerts', { limit: 1000 }, 'list_alerts')).alerts ?? []),
  };
  const refresh = async (names) => {
    await Promise.all(
      names.map(async (name) => {
        try {
          await fetchers[name]();
          delete problems[name];
        } catch (error) {
          problems[name] = error;
        }
      }),
    );
    renderFigures();
  };
  store.onChange(() => {
    renderFigures();
    renderIncidents();
  });
  store.reload();
  refresh(Object.keys(fetchers));

  const stale = new Set();
  let timer = null;
  const markStale = (name) => {
    stale.add(name);
    if (!timer)
      timer = setTimeout(() => {
        timer = null;
        const names = [...stale];
        stale.clear();
        refresh(names);
      }, kDebounceMs);
  };
  let day = zoneDay(feed.now());

  return {
    onSnapshot: (snapshot, { initial }) => {
      if (!initial) {
        store.reload();
        refresh(Object.keys(fetchers));
      }
    },
    onItem: (item) => {
      store.onItem(item);
      if (item.agent_status) markStale('agents');
      const kind = item.record_changed?.kind;
      if (kind === 'alert') markStale('alerts');
      if (kind && ['ledger_item', 'daily_report', 'early_warning', 'incident', 'alert'].includes(kind)) markStale('daily');
    },
    tick: () => {
      $('#wall-clock').textContent = dateTime(feed.now()).slice(11);
      const today = zoneDay(feed.now());
      $('#wall-day').textContent = today;
      if (today !== day) {
        day = today;  // a new day: the day's figures start again
        refresh(['daily']);
      }
      renderKpis();
      renderIncidents();
    },
    destroy: () => {
      clearTimeout(timer);
      store.destroy();
      window.removeEventListener('resize', resize);
      Object.values(charts).forEach((c) => c.dispose());
    },
  };
}
