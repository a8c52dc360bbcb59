// One incident: the report, each unit's deadline and the rule behind it
// with its countdown, the assignments with the proposal's reasons (and the
// teams not chosen, and why), the timeline, the cost, and the actions the
// role may take (confirm / override / reassign, status steps, close). The
// server's refusal (403, 409, 400 naming the field) is shown in the form.
import * as api from '../api.js';
import { urgency } from '../incident_store.js';
import { t, label } from '../i18n.js';
import { countdown, dateTime, esc, millis, money } from '../format.js';
import { html, errorBox, onSubmit, list, toast } from '../dom.js';
import { can } from '../roles.js';

const kSteps = ['INCIDENT_STEP_DEPARTED', 'INCIDENT_STEP_ARRIVED', 'INCIDENT_STEP_SETTLED', 'INCIDENT_STEP_AFTERMATH'];

function explanation(view) {
  if (!view) return '';
  const reasons = (view.reasons ?? []).map((r) => `<li>${esc(r)}</li>`).join('');
  const rejected = (view.rejected ?? []).map((r) => `<li>${esc(r.team_id)} (${esc(r.unit_id)}): ${esc(r.reason)}</li>`).join('');
  return `${reasons ? `<div class="why"><b>${esc(t('incident.why'))}</b><ul>${reasons}</ul></div>` : ''}
    ${rejected ? `<details><summary>${esc(t('incident.rejected'))}</summary><ul>${rejected}${view.more_rejected ? `<li>${esc(view.more_rejected)}</li>` : ''}</ul></details>` : ''}`;
}

function responsesTable(incident) {
  const rows = (incident.responses ?? [])
    .map(
      (r) => `<tr data-unit="${esc(r.unit_id)}">
        <td>${esc(r.unit_id)}</td><td>${esc(r.deadline?.rule_text ?? t('incidents.no_rule'))}</td>
        <td>${esc(dateTime(r.deadline?.at))}</td><td class="countdown" data-deadline="${esc(r.deadline?.at ?? '')}"></td>
        <td>${esc(dateTime(r.arrived_at))} ${esc(r.punctuality ?? '')}</td>
        <td>${r.infeasible_since ? explanation(r.infeasible) : ''}</td></tr>`,
    )
    .join('');
  return `<table class="grid"><thead><tr><th>${esc(t('incidents.unit'))}</th><th>${esc(t('incidents.rule'))}</th><th>${esc(t('incidents.deadline'))}</th>
    <th>${esc(t('incidents.countdown'))}</th><th>${esc(t('step.INCIDENT_STEP_ARRIVED'))}</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

function assignmentsList(incident) {
  return (incident.assignments ?? [])
    .map(
      (a) => `<div class="assignment-card state-${esc(a.state)}" data-unit="${esc(a.unit_id)}">
        <div><b>#${esc(a.number)} ${esc(a.unit_id)}</b> · <span class="assignment-state">${esc(label('assignment', a.state))}</span>
          · ${esc(t('incidents.team'))} ${esc(a.team_id)} (${esc(a.team_unit_id)}) ${a.fallback ? `· ${esc(t('incident.fallback'))}` : ''}</div>
        <div>${esc(t('incidents.vehicles'))}: ${esc((a.vehicle_ids ?? []).join(', ') || t('app.none'))} · ${esc(t('incident.eta'))}: ${esc(dateTime(a.eta))}</div>
        <div>${esc(t('incident.members'))}: ${esc(
          (a.members ?? [])
            .map((m) => [m.contact?.name || m.member_id || m.id, m.role].filter(Boolean).join(' '))
            .join(', ') || t('app.none'),
        )}</div>
        ${a.confirmed_by ? `<div class="muted">${esc(a.confirmed_by)} ${esc(dateTime(a.confirmed_at))}</div>` : ''}
        ${explanation(a.explanation)}
      </div>`,
    )
    .join('');
}

function timeline(incident) {
  return (incident.timeline ?? [])
    .map((e) => `<li><time>${esc(dateTime(e.at))}</time> <b>${esc(e.event)}</b> ${esc(e.unit_id ?? '')} ${esc(e.actor ?? '')} — ${esc(e.text ?? '')}</li>`)
    .join('');
}

function unitOptions(incident, session) {
  return (incident.responses ?? [])
    .map((r) => r.unit_id)
    .filter((unit) => can(session, 'incident.step', unit))
    .map((unit) => `<option value="${esc(unit)}">${esc(unit)}</option>`)
    .join('');
}

function actions(incident, session) {
  const forms = [];
  const closed = incident.state === 'INCIDENT_STATE_CLOSED' ||
    incident.state === 'INCIDENT_STATE_CANCELLED';
  if (!closed && can(session, 'incident.command')) {
    const proposed = (incident.assignments ?? []).filter((a) => a.state === 'proposed');
    if (proposed.length) {
      forms.push(`<form data-action="confirm" class="inline"><button type="submit" id="confirm-assignment">${esc(t('incident.confirm'))}</button></form>`);
    }
    const units = (incident.responses ?? []).map((r) => `<option>${esc(r.unit_id)}</option>`).join('');
    forms.push(`<form data-action="override"><h4>${esc(t('incident.override'))}</h4>
      <label>${esc(t('incident.step_unit'))}<select name="unit_id">${units}</select></label>
      <label>${esc(t('incident.team_id'))}<input name="team_id" required></label>
      <label>${esc(t('incident.vehicle_ids'))}<input name="vehicle_ids"></label>
      <label>${esc(t('incident.note'))}<input name="note"></label><button type="submit">${esc(t('app.save'))}</button></form>`);
    forms.push(`<form data-action="reassign"><h4>${esc(t('incident.reassign'))}</h4>
      <label>${esc(t('incident.step_unit'))}<select name="unit_id">${units}</select></label>
      <label>${esc(t('incident.exclude'))}<input name="exclude_team_ids"></label>
      <label>${esc(t('incident.note'))}<input name="note"></label><button type="submit">${esc(t('app.save'))}</button></form>`);
  }
  const stepUnits = unitOptions(incident, session);
  if (!closed && can(session, 'incident.step') && stepUnits) {
    const steps = kSteps.map((s) => `<option value="${s}">${esc(label('step', s))}</option>`).join('');
    forms.push(`<form data-action="step"><h4>${esc(t('incident.step'))}</h4>
      <label>${esc(t('incident.step'))}<select name="step">${steps}</select></label>
      <label>${esc(t('incident.step_unit'))}<select name="unit_id">${stepUnits}</select></label>
      <label>${esc(t('incident.note'))}<input name="note"></label><button type="submit">${esc(t('app.save'))}</button></form>`);
  }
  if (!closed && can(session, 'incident.command')) {
    forms.push(`<form data-action="close"><h4>${esc(t('incident.close'))}</h4>
      <label>${esc(t('incident.note'))}<input name="note" required></label><button type="submit">${esc(t('incident.close'))}</button></form>`);
  }
  return forms.length ? forms.join('') : `<p class="muted">${esc(t('incident.no_actions'))}</p>`;
}

export function mount(container, { session, feed, params, navigate }) {
  const id = params[0] ?? '';
  let incident = null;
  let destroyed = false;

  const render = () => {
    const r = incident.report ?? {};
    container.innerHTML = `<div class="board-head"><a href="#/incidents">← ${esc(t('app.back'))}</a>
        <h2>${esc(t('incident.title', { id: incident.id }))}</h2>
        <span class="state" id="incident-state">${esc(label('state', incident.state))}</span>
        <span>${esc(label('level', incident.grade))}</span></div>
      <div class="columns">
        <div>
          <section class="card"><h3>${esc(t('incident.report'))}</h3>
            <p class="summary">${esc(r.summary)}</p><p>${esc(r.details ?? '')}</p>
            <p>${esc(label('type', r.type))} · ${esc(t('incident.place'))}: ${esc(r.place?.region_id)} ${esc(r.place?.address ?? '')}
              · ${esc(t('incident.persons'))}: ${esc(r.persons ?? 0)}</p>
            <p>${esc(t('incident.reported_at'))}: ${esc(dateTime(incident.reported_at))} · ${esc(t('incident.reported_by'))}: ${esc(incident.reported_by)}</p></section>
          <section class="card"><h3>${esc(t('incident.responses'))}</h3>${responsesTable(incident)}</section>
          <section class="card"><h3>${esc(t('incident.assignments'))}</h3>${assignmentsList(incident)}</section>
          <section class="card" id="incident-cost"></section>
        </div>
        <div>
          <section class="card actions"><h3>${esc(t('incident.actions'))}</h3>${actions(incident, session)}</section>
          <section class="card"><h3>${esc(t('incident.timeline'))}</h3><ol class="timeline">${timeline(incident)}</ol></section>
        </div>
      </div>`;
    wire();
    tick();
    loadCost();
  };

  const wire = () => {
    const submit = (action, request) => {
      const form = container.querySelector(`form[data-action=${action}]`);
      if (form)
        onSubmit(form, request, (result) => {
          toast(t('incident.done'));
          if (result?.incident) {
            incident = result.incident;
            render();
          }
        });
    };
    submit('confirm', () => api.call('confirm_assignment', { incident_id: id }, 'incident'));
    submit('override', (v) =>
      api.call('override_assignment', { incident_id: id, unit_id: v.unit_id, team_id: v.team_id, vehicle_ids: list(v.vehicle_ids), note: v.note }, 'incident'),
    );
    submit('reassign', (v) => api.call('reassign', { incident_id: id, unit_id: v.unit_id, exclude_team_ids: list(v.exclude_team_ids), note: v.note }, 'incident'));
    submit('step', (v) =>
      api.call('update_incident_status', { update: { incident_id: id, step: v.step, note: v.note, reported_by: session.user }, unit_id: v.unit_id }, 'incident'),
    );
    submit('close', (v) =>
      api.call('update_incident_status', { update: { incident_id: id, step: 'INCIDENT_STEP_CLOSED', note: v.note, reported_by: session.user } }, 'incident'),
    );
  };

  const loadCost = async () => {
    const section = container.querySelector('#incident-cost');
    if (!section || !can(session, 'funds.read')) return;
    try {
      const cost = await api.call('incident_cost', { incident_id: id }, 'incident_cost');
      const units = (cost.units ?? []).map((u) => `<tr><td>${esc(u.unit_id)}</td><td>${money(u.estimated_fen)}</td><td>${money(u.actual_fen)}</td></tr>`).join('');
      section.innerHTML = `<h3>${esc(t('incident.cost'))}</h3><p>${esc(t('funds.estimated'))} ${money(cost.estimated_fen)} · ${esc(t('funds.actual'))} ${money(
        cost.actual_fen,
      )} · ${esc(t('funds.variance'))} ${money(cost.variance_fen)}</p>
        <table class="grid"><tbody>${units}</tbody></table>`;
    } catch (error) {
      // No cost recorded yet is not a problem worth a red box.
      if (error.status === 404) section.hidden = true;
      else section.replaceChildren(errorBox(error));
    }
  };

  const tick = () => {
    for (const cell of container.querySelectorAll('td.countdown')) {
      const unit = cell.closest('tr').dataset.unit;
      const response = (incident?.responses ?? []).find((r) => r.unit_id === unit);
      if (!response) continue;
      const u = urgency(response, feed.now());
      cell.className = `countdown u-${u}`;
      cell.textContent = u === 'arrived' || u === 'no_rule' ? '' : countdown(millis(response.deadline.at) - feed.now());
    }
  };

  // A change while the operator is typing in a form waits until they leave
  // it, so that a feed item does not wipe what they wrote.
  let waiting = false;
  const typing = () => container.contains(document.activeElement) && document.activeElement.matches('input, textarea, select');
  container.addEventListener('focusout', () => {
    if (!waiting) return;
    setTimeout(() => {
      if (waiting && !typing()) {
        waiting = false;
        render();
      }
    }, 0);
  });

  const load = async () => {
    try {
      const result = await api.call('show_incident', { incident_id: id }, 'incident');
      if (destroyed) return;
      incident = result.incident;
      if (typing()) waiting = true;
      else render();
    } catch (error) {
      if (destroyed) return;
      // 403 / 404: nothing of the incident is shown, only the refusal.
      container.replaceChildren(html(`<div class="board-head"><a href="#/incidents">← ${esc(t('app.back'))}</a></div>`), errorBox(error));
    }
  };
  load();

  return {
    onSnapshot: (snapshot, { initial }) => initial || load(),
    onItem: (item) => {
      const record = item.record_changed;
      if (record?.kind === 'incident' && record.id === id) load();
    },
    tick: () => incident && tick(),
    destroy: () => {
      destroyed = true;
    },
  };
}
