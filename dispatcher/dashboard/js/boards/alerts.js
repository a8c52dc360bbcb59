// Alerts: what HQ must look at (no rule covers an incident, a deadline
// breach, a special report, ...), newest first, with acknowledgement.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { dateTime, esc } from '../format.js';
import { html, errorBox, toast, errorText } from '../dom.js';
import { can } from '../roles.js';

export function mount(container, { session }) {
  container.innerHTML = `<div class="board-head"><h2>${esc(t('alerts.title'))}</h2>
    <label class="check"><input type="checkbox" id="alerts-all">${esc(t('alerts.all'))}</label></div><div id="alerts"></div>`;
  const target = container.querySelector('#alerts');
  const load = async () => {
    try {
      const { alerts = [] } = await api.call('list_alerts', { all: container.querySelector('#alerts-all').checked, limit: 500 }, 'list_alerts');
      if (!alerts.length) {
        target.replaceChildren(html(`<p class="muted">${esc(t('alerts.empty'))}</p>`));
        return;
      }
      target.innerHTML = `<table class="grid"><thead><tr><th>${esc(t('alerts.raised'))}</th><th>${esc(t('alerts.severity'))}</th><th>${esc(
        t('alerts.kind'),
      )}</th><th>${esc(t('ledger.unit'))}</th><th>${esc(t('alerts.text'))}</th><th></th></tr></thead><tbody>
        ${alerts
          .map(
            (a) => `<tr class="severity-${esc(a.severity)}"><td>${esc(dateTime(a.raised_at))}</td><td>${esc(a.severity)}</td><td>${esc(a.kind)}</td>
          <td>${esc(a.unit_id ?? '')}</td><td>${esc(a.text)} <span class="muted">${esc(a.reference_id ?? '')}</span></td>
          <td>${
            a.acknowledged_at
              ? esc(t('alerts.acked', { by: a.acknowledged_by, at: dateTime(a.acknowledged_at) }))
              : can(session, 'alerts.ack')
                ? `<button type="button" data-ack="${esc(a.id)}">${esc(t('alerts.ack'))}</button>`
                : ''
          }</td></tr>`,
          )
          .join('')}</tbody></table>`;
    } catch (error) {
      target.replaceChildren(errorBox(error));
    }
  };
  target.addEventListener('click', async (event) => {
    const id = event.target.dataset?.ack;
    if (!id) return;
    event.target.disabled = true;
    try {
      await api.call('acknowledge_alert', { alert_id: id });
      load();
    } catch (error) {
      event.target.disabled = false;
      toast(errorText(error), 'error');
    }
  });
  container.querySelector('#alerts-all').addEventListener('change', load);
  load();
  let timer = null;
  return {
    onSnapshot: (snapshot, { initial }) => initial || load(),
    onItem: (item) => {
      if (item.record_changed?.kind !== 'alert' || timer) return;
      timer = setTimeout(() => ((timer = null), load()), 500);
    },
    destroy: () => clearTimeout(timer),
  };
}
