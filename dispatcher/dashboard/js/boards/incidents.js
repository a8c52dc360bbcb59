// Incidents board: every open incident, one row per involved unit, most
// urgent deadline first, with the rule that set it and a live countdown on
// the dispatcher's clock; colours: ok, near (amber), breached (red),
// arrived (grey). Only the visible rows are in the DOM.
import { IncidentStore, urgency } from '../incident_store.js';
import { VirtualList } from '../virtual_list.js';
import { t, label } from '../i18n.js';
import { countdown, dateTime, esc } from '../format.js';
import { html, errorBox } from '../dom.js';

const kRowHeight = 34;

export function mount(container, { session, feed, navigate }) {
  const store = new IncidentStore(session.role === 'unit_officer' ? session.unitId : '');
  container.append(
    html(`<div class="board-head">
      <h2>${esc(t('incidents.title'))}</h2>
      <input type="search" id="incident-filter" placeholder="${esc(t('incidents.filter'))}">
      <span class="count" id="incident-count"></span>
      <span class="legend"><i class="u-ok"></i>ok <i class="u-near"></i>&lt;25% <i class="u-breached"></i>${esc(t('wall.breached'))}</span>
    </div>`),
    html(`<div class="table-head incident-grid">
      <span>${esc(t('incidents.id'))}</span><span>${esc(t('incidents.summary'))}</span><span>${esc(t('incidents.grade'))}</span>
      <span>${esc(t('incidents.state'))}</span><span>${esc(t('incidents.unit'))}</span><span>${esc(t('incidents.rule'))}</span>
      <span>${esc(t('incidents.deadline'))}</span><span>${esc(t('incidents.countdown'))}</span><span>${esc(t('incidents.team'))}</span>
      <span>${esc(t('incidents.vehicles'))}</span><span>${esc(t('incidents.assignment'))}</span>
    </div>`),
  );
  const status = html('<div class="status-line"></div>');
  const body = html('<div class="table-body" id="incident-rows"></div>');
  container.append(status, body);

  const renderCountdown = (row, cell) => {
    const u = urgency(row.response, feed.now());
    cell.className = `countdown u-${u}`;
    if (u === 'arrived') cell.textContent = t('incidents.arrived', { at: dateTime(row.response.arrived_at).slice(11) });
    else if (u === 'no_rule') cell.textContent = t('incidents.no_rule');
    else cell.textContent = countdown(row.deadlineMs - feed.now());
    return u;
  };

  const list = new VirtualList(body, kRowHeight, (row, element) => {
    if (element.dataset.key !== row.key || element.dataset.version !== String(row.incident.fetch_stamp)) {
      const { incident, response, assignment } = row;
      element.dataset.key = row.key;
      element.dataset.version = String(row.incident.fetch_stamp);
      element.className = 'virtual-row incident-grid incident-row';
      element.innerHTML = `<a href="#/incident/${encodeURIComponent(incident.id)}" class="id">${esc(incident.id)}</a>
        <span title="${esc(incident.report?.summary)}">${esc(incident.report?.summary)}</span>
        <span>${esc(label('level', incident.grade))}</span>
        <span class="state">${esc(label('state', incident.state))}</span>
        <span>${esc(response.unit_id)}</span>
        <span class="rule" title="${esc(response.deadline?.rule_text)}">${esc(response.deadline?.rule_text ?? '')}</span>
        <span>${esc(dateTime(response.deadline?.at))}</span>
        <span class="countdown"></span>
        <span>${esc(assignment?.team_id ?? '')}</span>
        <span>${esc((assignment?.vehicle_ids ?? []).join(', '))}</span>
        <span class="assignment">${esc(label('assignment', assignment?.state))}</span>`;
    }
    const u = renderCountdown(row, element.children[7]);
    element.dataset.urgency = u;
  });

  let filter = '';
  const show = () => {
    let rows = store.rows();
    if (filter) {
      rows = rows.filter(
        (row) => row.incident.id.toLowerCase().includes(filter) || row.response.unit_id?.toLowerCase().includes(filter) || (row.incident.report?.summary ?? '').toLowerCase().includes(filter),
      );
    }
    status.replaceChildren(store.error ? errorBox(store.error) : document.createTextNode(store.loaded && !rows.length ? t('incidents.empty') : ''));
    const count = container.querySelector('#incident-count');
    const incidents = new Set(rows.map((row) => row.incident.id)).size;
    count.dataset.incidents = String(incidents);
    count.textContent = t('incidents.count', { n: incidents, rows: rows.length });
    list.setRows(rows);
  };
  store.onChange(show);
  container.querySelector('#incident-filter').addEventListener('input', (event) => {
    filter = event.target.value.trim().toLowerCase();
    show();
  });
  body.addEventListener('dblclick', (event) => {
    const id = event.target.closest('.incident-row')?.querySelector('.id')?.textContent;
    if (id) navigate(`#/incident/${encodeURIComponent(id)}`);
  });

  store.reload();
  return {
    onSnapshot: (snapshot, { initial }) => initial || store.reload(),
    onItem: (item) => store.onItem(item),
    tick: () => list.refreshVisible(),
    destroy: () => {
      store.destroy();
      list.destroy();
    },
  };
}
