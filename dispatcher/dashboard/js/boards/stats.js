// Statistics (统计): for a range of local days, the visits received this
// year against last year (batches 批次, person-times 人次, the change), the
// response times per unit, the 台账's close-out record and the reserve
// funds' use per incident category. Every figure, percentage and rounding
// is the server's (the same requests as `anding stats …`); the board only
// lays them out and draws two charts.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { esc, int, money, zoneDay } from '../format.js';
import { errorBox } from '../dom.js';

const kDayPattern = /^\d{4}-\d{2}-\d{2}$/;

function minutes(seconds) {
  const s = int(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function table(head, rows, total) {
  const cells = (row, tag) => row.map((cell) => `<${tag}>${esc(cell)}</${tag}>`).join('');
  return `<table class="grid stats-table"><thead><tr>${cells(head, 'th')}</tr></thead><tbody>
    ${rows.map((row) => `<tr>${cells(row, 'td')}</tr>`).join('')}
    ${total ? `<tr class="total">${cells(total, 'th')}</tr>` : ''}</tbody></table>`;
}

export function mount(container, { feed }) {
  const today = zoneDay(feed.now());
  container.innerHTML = `<div class="board-head"><h2>${esc(t('stats.title'))}</h2>
      <form class="filters" id="stats-range"><label>${esc(t('stats.from'))}<input name="from" value="${esc(today.slice(0, 4))}-01-01"></label>
        <label>${esc(t('stats.to'))}<input name="to" value="${esc(today)}"></label>
        <button type="submit">${esc(t('stats.show'))}</button></form></div>
    <div class="columns"><div>
      <section class="card"><h3>${esc(t('stats.visits'))}</h3><div id="stats-visits"></div></section>
      <section class="card"><h3>${esc(t('stats.responses'))}</h3><div id="stats-responses"></div></section>
      <section class="card"><h3>${esc(t('stats.ledger'))}</h3><div id="stats-ledger"></div></section>
      <section class="card"><h3>${esc(t('stats.funds'))}</h3><div id="stats-funds"></div></section>
    </div><div>
      <section class="card"><h3>${esc(t('stats.visits_chart'))}</h3><div class="chart stats-chart" id="chart-visits"></div></section>
      <section class="card"><h3>${esc(t('stats.funds_chart'))}</h3><div class="chart stats-chart" id="chart-funds"></div></section>
    </div></div>`;
  const $ = (selector) => container.querySelector(selector);
  const charts = {};
  const chart = (id) => {
    if (!window.echarts) return null;
    if (!charts[id]) charts[id] = window.echarts.init($(`#${id}`), null, { renderer: 'canvas' });
    return charts[id];
  };
  const resize = () => Object.values(charts).forEach((c) => c.resize());
  window.addEventListener('resize', resize);

  const show = async (id, load) => {
    try {
      await load();
    } catch (error) {
      $(id).replaceChildren(errorBox(error));
    }
  };

  // The range's year against the year before (the visits statistics count
  // whole years; the other tables take the days as given).
  const visits = (year) =>
    show('#stats-visits', async () => {
      const v = await api.call('visit_stats', { period_kind: 'year', period: year, by: 'total' }, 'visit_stats');
      const total = v.total ?? {};
      const now = total.current ?? {};
      const before = total.year_ago ?? {};
      $('#stats-visits').innerHTML = table(
        [t('stats.measure'), v.period, v.year_ago_period, t('stats.change')],
        [
          [t('stats.batches'), int(now.batches), int(before.batches), total.batches_year_on_year?.text ?? ''],
          [t('stats.persons'), int(now.persons), int(before.persons), total.persons_year_on_year?.text ?? ''],
        ],
      );
      $('#stats-visits').dataset.loaded = 'true';
      chart('chart-visits')?.setOption({
        tooltip: {},
        legend: { data: [v.year_ago_period, v.period] },
        xAxis: { type: 'category', data: [t('stats.batches'), t('stats.persons')] },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: v.year_ago_period, type: 'bar', data: [int(before.batches), int(before.persons)] },
          { name: v.period, type: 'bar', data: [int(now.batches), int(now.persons)] },
        ],
      });
    });

  const responses = (range) =>
    show('#stats-responses', async () => {
      const s = await api.call('response_stats', range, 'response_stats');
      const row = (r, label) => [
        label,
        int(r.responses),
        `${int(r.met)}/${int(r.decided)}`,
        r.met_share?.text ?? '',
        int(r.arrivals) ? minutes(r.median_seconds) : '—',
        int(r.arrivals) ? minutes(r.worst_seconds) : '—',
      ];
      $('#stats-responses').innerHTML = table(
        [t('stats.unit'), t('stats.responses_count'), t('stats.met'), t('stats.met_share'), t('stats.median'), t('stats.worst')],
        (s.rows ?? []).map((r) => row(r, r.unit_id)),
        row(s.total ?? {}, t('stats.total')),
      );
    });

  const ledger = (range) =>
    show('#stats-ledger', async () => {
      const s = await api.call('ledger_stats', { ...range, by: 'unit' }, 'ledger_stats');
      const row = (r, label) => [
        label,
        int(r.registered),
        int(r.closed_out),
        int(r.closed_on_time),
        r.on_time_share?.text ?? '',
        r.average_days_to_close_text ?? '',
        int(r.open),
        int(r.open_overdue),
        int(r.reopened),
        int(r.rebounds),
      ];
      $('#stats-ledger').innerHTML = `${table(
        [
          t('stats.unit'), t('stats.registered'), t('stats.closed_out'), t('stats.on_time'), t('stats.on_time_share'),
          t('stats.avg_days'), t('stats.open'), t('stats.overdue'), t('stats.reopened'), t('stats.rebounds'),
        ],
        (s.rows ?? []).map((r) => row(r, r.name || r.key)),
        row(s.total ?? {}, t('stats.total')),
      )}<p class="muted">${esc(t('stats.ledger_note'))}</p>`;
      $('#stats-ledger').dataset.registered = String(int(s.total?.registered));
    });

  const funds = (range) =>
    show('#stats-funds', async () => {
      const s = await api.call('fund_stats', range, 'fund_stats');
      const row = (r, label) => [
        label,
        int(r.incidents),
        int(r.incidents_with_costs),
        money(r.estimated_fen),
        money(r.held_fen),
        money(r.actual_fen),
        r.actual_share?.text ?? '',
      ];
      const rows = s.rows ?? [];
      const label = (r) => (r.category_id ? r.name || r.category_id : t('stats.uncategorised'));
      $('#stats-funds').innerHTML = table(
        [t('stats.category'), t('stats.incidents'), t('stats.with_costs'), t('stats.estimated'), t('stats.held'), t('stats.actual'), t('stats.share')],
        rows.map((r) => row(r, label(r))),
        row(s.total ?? {}, t('stats.total')),
      );
      $('#stats-funds').dataset.incidents = String(int(s.total?.incidents));
      // Yuan for the chart's scale only; the table shows the exact fen.
      const spent = rows.filter((r) => BigInt(r.actual_fen ?? 0) > 0n);
      chart('chart-funds')?.setOption({
        tooltip: { trigger: 'item' },
        series: [
          {
            type: 'pie',
            radius: '65%',
            data: spent.length
              ? spent.map((r) => ({ name: label(r), value: Number(BigInt(r.actual_fen)) / 100 }))
              : [{ name: t('stats.nothing_spent'), value: 0 }],
          },
        ],
      });
    });

  const load = () => {
    const data = new FormData($('#stats-range'));
    const from = String(data.get('from') ?? '').trim();
    const to = String(data.get('to') ?? '').trim();
    const range = {};
    if (from) range.from_day = from;
    if (to) range.to_day = to;
    const year = kDayPattern.test(from) ? from.slice(0, 4) : today.slice(0, 4);
    visits(year);
    responses(range);
    ledger(range);
    funds(range);
  };
  $('#stats-range').addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  load();
  return {
    onSnapshot: (snapshot, { initial }) => initial || load(),
    destroy: () => {
      window.removeEventListener('resize', resize);
      Object.values(charts).forEach((c) => c.dispose());
    },
  };
}
