// What each role may do, as the page offers it. The server decides (its
// 403 is shown as it comes); this table only keeps the page from offering
// actions a role cannot take.
//   commander: everything; petition_office: ledger, reports, alerts,
//   notifications; unit_officer: their own unit's data and actions;
//   auditor: read-only. Statistics (aggregates across units) are for
//   commanders, the petition office and auditors.
const allowed = {
  commander: [
    'incident.command', 'incident.step', 'ledger.write', 'ledger.close_out', 'funds.read', 'alerts.ack', 'incidents.read', 'units.read',
    'notifications.read', 'notifications.ack', 'wall', 'stats.read',
  ],
  petition_office: ['ledger.write', 'ledger.close_out', 'alerts.ack', 'incidents.read', 'units.read', 'funds.read', 'notifications.read', 'notifications.ack', 'wall', 'stats.read'],
  unit_officer: ['incident.step', 'ledger.write', 'incidents.read', 'units.read', 'funds.read'],
  auditor: ['incidents.read', 'units.read', 'funds.read', 'notifications.read', 'wall', 'stats.read'],
};

// Whether `session` may do `action`; for unit-bound actions, `unitId`
// is the unit concerned (a unit officer acts for their own unit only).
export function can(session, action, unitId = '') {
  if (!session) return false;
  if (!(allowed[session.role] ?? []).includes(action)) return false;
  if (session.role === 'unit_officer' && unitId && unitId !== session.unitId) return false;
  return true;
}
