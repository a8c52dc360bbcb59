// 台账: the ledger with filters (unit, category, state, overdue, open), an
// item's history and progress, and the register / update / close-out
// forms. The close-out gate (resolution recorded, responsible leader's
// confirmation) is the server's: the page states it, and shows the
// server's refusal when it is not met.
import * as api from '../api.js';
import { VirtualList } from '../virtual_list.js';
import { t, label } from '../i18n.js';
import { dateTime, esc } from '../format.js';
import { html, errorBox, onSubmit, toast } from '../dom.js';
import { can } from '../roles.js';

const kRowHeight = 32;
const kStates = ['LEDGER_ITEM_STATE_REGISTERED', 'LEDGER_ITEM_STATE_IN_PROGRESS', 'LEDGER_ITEM_STATE_RESOLVED', 'LEDGER_ITEM_STATE_CLOSED_OUT', 'LEDGER_ITEM_STATE_REOPENED'];
const kLevels = ['RISK_LEVEL_LOW', 'RISK_LEVEL_MEDIUM', 'RISK_LEVEL_HIGH', 'RISK_LEVEL_CRITICAL'];

// "2026-12-31" (a day in Asia/Shanghai) → the end of that day as RFC 3339.
function endOfDay(day) {
  return day ? `${day}T23:59:59+08:00` : undefined;
}

function contact(name, phone) {
  return name || phone ? { name, phone } : undefined;
}

function options(values, prefix, selected = '') {
  return values.map((v) => `<option value="${v}" ${v === selected ? 'selected' : ''}>${esc(label(prefix, v))}</option>`).join('');
}

function itemDetail(item, session) {
  const history = (item.history ?? [])
    .map(
      (h) => `<li><time>${esc(dateTime(h.at))}</time> <b>${esc(h.action)}</b> ${esc(h.actor)} ${esc(h.person ?? '')} ${esc(h.note ?? '')}
        ${(h.changes ?? []).map((c) => `<div class="muted">${esc(c.field)}: ${esc(c.before)} → ${esc(c.after)}</div>`).join('')}</li>`,
    )
    .join('');
  const progress = (item.progress ?? []).map((p) => `<li><time>${esc(dateTime(p.at))}</time> ${esc(p.written_by || p.actor)}: ${esc(p.text)}</li>`).join('');
  const mayWrite = can(session, 'ledger.write', item.unit_id);
  const mayClose = can(session, 'ledger.close_out', item.unit_id);
  return `<div class="board-head"><a href="#/ledger">← ${esc(t('app.back'))}</a><h2>${esc(item.id)}</h2>
      <span class="state">${esc(label('lstate', item.state))}</span></div>
    <div class="columns"><div>
      <section class="card"><dl class="facts">
        <dt>${esc(t('ledger.unit'))}</dt><dd>${esc(item.unit_id)}</dd>
        <dt>${esc(t('ledger.category'))}</dt><dd>${esc(item.category_id)}</dd>
        <dt>${esc(t('ledger.description'))}</dt><dd>${esc(item.description)}</dd>
        <dt>${esc(t('ledger.persons'))}</dt><dd>${esc(item.persons ?? 0)} ${esc((item.key_persons ?? []).join(', '))}</dd>
        <dt>${esc(t('ledger.level'))}</dt><dd>${esc(label('level', item.level))}</dd>
        <dt>${esc(t('ledger.leader'))}</dt><dd>${esc(item.responsible_leader?.name ?? '')} ${esc(item.responsible_leader?.phone ?? '')}</dd>
        <dt>${esc(t('ledger.person'))}</dt><dd>${esc(item.responsible_person?.name ?? '')} ${esc(item.responsible_person?.phone ?? '')}</dd>
        <dt>${esc(t('ledger.department'))}</dt><dd>${esc(item.lead_department)}</dd>
        <dt>${esc(t('ledger.measures'))}</dt><dd>${esc(item.measures)}</dd>
        <dt>${esc(t('ledger.deadline'))}</dt><dd>${esc(dateTime(item.deadline))}</dd>
        <dt>${esc(t('ledger.resolution'))}</dt><dd>${esc(item.resolution ?? '')}</dd>
        <dt>${esc(t('ledger.overdue_reasons'))}</dt><dd class="bad">${esc((item.overdue_reasons ?? []).map((r) => label('overdue', r)).join(', '))}</dd>
      </dl></section>
      <section class="card"><h3>${esc(t('ledger.progress'))}</h3><ol class="timeline">${progress}</ol></section>
      <section class="card"><h3>${esc(t('ledger.history'))}</h3><ol class="timeline">${history}</ol></section>
    </div><div>
      ${
        mayWrite
          ? `<section class="card"><form data-action="update"><h4>${esc(t('ledger.update'))}</h4>
        <label>${esc(t('ledger.progress'))}<textarea name="progress"></textarea></label>
        <label>${esc(t('ledger.level'))}<select name="level"><option value=""></option>${options(kLevels, 'level')}</select></label>
        <label>${esc(t('ledger.measures'))}<input name="measures"></label>
        <label>${esc(t('ledger.resolution'))}<input name="resolution"></label>
        <label>${esc(t('ledger.updated_by'))}<input name="updated_by" value="${esc(session.user)}"></label>
        <button type="submit">${esc(t('app.save'))}</button></form></section>`
          : ''
      }
      ${
        mayClose
          ? `<section class="card"><form data-action="close_out"><h4>${esc(t('ledger.close_out'))}</h4>
        <p class="muted">${esc(t('ledger.close_out_gate'))}</p>
        <label>${esc(t('ledger.resolution'))}<textarea name="resolution">${esc(item.resolution ?? '')}</textarea></label>
        <label>${esc(t('ledger.confirmed_by_leader'))}<input name="confirmed_by_leader" value="${esc(item.responsible_leader?.name ?? '')}"></label>
        <button type="submit">${esc(t('ledger.close_out'))}</button></form></section>`
          : ''
      }
    </div></div>`;
}

function registerForm(session) {
  const unit = session.role === 'unit_officer' ? session.unitId : '';
  return `<details class="card"><summary>${esc(t('ledger.register'))}</summary><form data-action="register">
    <label>${esc(t('ledger.unit'))}<input name="unit_id" value="${esc(unit)}" ${unit ? 'readonly' : ''} required></label>
    <label>${esc(t('ledger.category'))}<input name="category_id" required></label>
    <label>${esc(t('ledger.description'))}<textarea name="description" required></textarea></label>
    <label>${esc(t('ledger.persons'))}<input name="persons" type="number" min="0" value="0"></label>
    <label>${esc(t('ledger.level'))}<select name="level">${options(kLevels, 'level', 'RISK_LEVEL_MEDIUM')}</select></label>
    <label>${esc(t('ledger.leader'))} · ${esc(t('ledger.name'))}<input name="leader_name"></label>
    <label>${esc(t('ledger.leader'))} · ${esc(t('ledger.phone'))}<input name="leader_phone"></label>
    <label>${esc(t('ledger.person'))} · ${esc(t('ledger.name'))}<input name="person_name"></label>
    <label>${esc(t('ledger.person'))} · ${esc(t('ledger.phone'))}<input name="person_phone"></label>
    <label>${esc(t('ledger.department'))}<input name="lead_department"></label>
    <label>${esc(t('ledger.measures'))}<textarea name="measures"></textarea></label>
    <label>${esc(t('ledger.deadline'))}<input name="deadline" type="date"></label>
    <button type="submit">${esc(t('ledger.register'))}</button></form></details>`;
}

function mountItem(container, session, id) {
  let destroyed = false;
  const load = async () => {
    try {
      const { item } = await api.call('show_ledger_item', { ledger_item_id: id }, 'ledger_item');
      if (destroyed) return;
      container.innerHTML = itemDetail(item, session);
      const update = container.querySelector('form[data-action=update]');
      if (update)
        onSubmit(
          update,
          (v) =>
            api.call('update_ledger_item', {
              update: { ledger_item_id: id, progress: v.progress, level: v.level || undefined, measures: v.measures, resolution: v.resolution, updated_by: v.updated_by },
            }),
          () => (toast(t('incident.done')), load()),
        );
      const closeOut = container.querySelector('form[data-action=close_out]');
      if (closeOut)
        onSubmit(
          closeOut,
          (v) => api.call('close_out_ledger_item', { close_out: { ledger_item_id: id, resolution: v.resolution, confirmed_by_leader: v.confirmed_by_leader } }),
          () => (toast(t('incident.done')), load()),
        );
    } catch (error) {
      if (!destroyed) container.replaceChildren(html(`<div class="board-head"><a href="#/ledger">← ${esc(t('app.back'))}</a></div>`), errorBox(error));
    }
  };
  load();
  return {
    onSnapshot: (snapshot, { initial }) => initial || load(),
    onItem: (item) => item.record_changed?.kind === 'ledger_item' && item.record_changed.id === id && load(),
    destroy: () => (destroyed = true),
  };
}

export function mount(container, { session, params, navigate }) {
  if (params[0]) return mountItem(container, session, params[0]);
  const unit = session.role === 'unit_officer' ? session.unitId : '';
  container.append(
    html(`<div class="board-head"><h2>${esc(t('ledger.title'))}</h2><span class="count" id="ledger-count"></span></div>`),
    html(`<form class="filters" id="ledger-filter">
      <label>${esc(t('ledger.unit'))}<input name="unit_id" value="${esc(unit)}"></label>
      <label>${esc(t('ledger.category'))}<input name="category_id"></label>
      <label>${esc(t('ledger.state'))}<select name="state"><option value="">${esc(t('ledger.all'))}</option>${options(kStates, 'lstate')}</select></label>
      <label class="check"><input type="checkbox" name="open_only" value="1" checked>${esc(t('ledger.open'))}</label>
      <label class="check"><input type="checkbox" name="overdue_only" value="1">${esc(t('ledger.overdue'))}</label>
      <button type="submit">${esc(t('ledger.apply'))}</button></form>`),
  );
  if (can(session, 'ledger.write')) container.append(html(registerForm(session)));
  container.append(
    html(`<div class="table-head ledger-grid"><span>${esc(t('ledger.id'))}</span><span>${esc(t('ledger.unit'))}</span><span>${esc(t('ledger.category'))}</span>
      <span>${esc(t('ledger.description'))}</span><span>${esc(t('ledger.level'))}</span><span>${esc(t('ledger.state'))}</span>
      <span>${esc(t('ledger.deadline'))}</span><span>${esc(t('ledger.overdue_reasons'))}</span></div>`),
  );
  const status = html('<div class="status-line"></div>');
  const body = html('<div class="table-body"></div>');
  container.append(status, body);
  const list = new VirtualList(body, kRowHeight, (item, element) => {
    element.className = `virtual-row ledger-grid${item.overdue_reasons?.length ? ' overdue' : ''}`;
    element.innerHTML = `<a href="#/ledger/${encodeURIComponent(item.id)}">${esc(item.id)}</a><span>${esc(item.unit_id)}</span><span>${esc(item.category_id)}</span>
      <span title="${esc(item.description)}">${esc(item.description)}</span><span>${esc(label('level', item.level))}</span>
      <span>${esc(label('lstate', item.state))}</span><span>${esc(dateTime(item.deadline))}</span>
      <span class="bad">${esc((item.overdue_reasons ?? []).map((r) => label('overdue', r)).join(', '))}</span>`;
  });

  const filterForm = container.querySelector('#ledger-filter');
  const load = async () => {
    const data = new FormData(filterForm);
    const request = {
      unit_id: String(data.get('unit_id') ?? '').trim(),
      category_id: String(data.get('category_id') ?? '').trim(),
      states: data.get('state') ? [String(data.get('state'))] : [],
      open_only: data.get('open_only') === '1',
      overdue_only: data.get('overdue_only') === '1',
    };
    try {
      const result = await api.call('list_ledger_items', request, 'ledger_items');
      status.replaceChildren(result.items?.length ? '' : t('ledger.empty'));
      container.querySelector('#ledger-count').textContent = t('app.rows', { n: result.items?.length ?? 0 });
      list.setRows(result.items ?? []);
    } catch (error) {
      // Refused (another unit's ledger, say): nothing of it stays on screen.
      list.setRows([]);
      status.replaceChildren(errorBox(error));
    }
  };
  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  const register = container.querySelector('form[data-action=register]');
  if (register)
    onSubmit(
      register,
      (v) =>
        api.call('register_ledger_item', {
          unit_id: v.unit_id,
          item: {
            category_id: v.category_id,
            description: v.description,
            persons: Number(v.persons || 0),
            level: v.level,
            responsible_leader: contact(v.leader_name, v.leader_phone),
            responsible_person: contact(v.person_name, v.person_phone),
            lead_department: v.lead_department,
            measures: v.measures,
            deadline: endOfDay(v.deadline),
          },
        }, 'ledger_item'),
      (result) => navigate(`#/ledger/${encodeURIComponent(result.item?.id ?? '')}`),
    );
  load();
  let timer = null;
  return {
    onSnapshot: (snapshot, { initial }) => initial || load(),
    onItem: (item) => {
      if (item.record_changed?.kind !== 'ledger_item' || timer) return;
      timer = setTimeout(() => ((timer = null), load()), 1000);
    },
    destroy: () => (clearTimeout(timer), list.destroy()),
  };
}
