// The dashboard's pure logic under node's test runner (no browser): money
// in fen shown in yuan without floats, countdowns, times in Asia/Shanghai,
// a unit's urgency against its deadline, the assignment that serves a
// unit, which actions a role is offered, the words of both languages, and
// how the live feed reads its messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { money, countdown, dateTime, zoneDay, esc } from '../../dispatcher/dashboard/js/format.js';
import { urgency, currentAssignment } from '../../dispatcher/dashboard/js/incident_store.js';
import { can } from '../../dispatcher/dashboard/js/roles.js';
import { LiveFeed } from '../../dispatcher/dashboard/js/feed.js';
import { t, label, setLanguage, dictionaries } from '../../dispatcher/dashboard/js/i18n.js';

test('money is fen shown as yuan, exactly, also beyond 2^53 fen', () => {
  assert.equal(money('123456'), '¥1,234.56');
  assert.equal(money(5), '¥0.05');
  assert.equal(money('-100'), '-¥1.00');
  assert.equal(money(undefined), '¥0.00');
  assert.equal(money('100000000000000001'), '¥1,000,000,000,000,000.01');
});

test('countdown shows whole seconds, negative once past', () => {
  assert.equal(countdown(3723000), '1:02:03');
  assert.equal(countdown(999), '0:00:00');
  assert.equal(countdown(-12000), '-0:00:12');
});

test('times are shown in Asia/Shanghai with the date', () => {
  assert.equal(dateTime('2026-12-02T16:30:05Z'), '2026-12-03 00:30:05');
  assert.equal(zoneDay(Date.parse('2026-12-31T16:00:00Z')), '2027-01-01');
  assert.equal(dateTime(''), '');
});

test('server text is escaped', () => {
  assert.equal(esc('<img src=x onerror="a">&\''), '&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;');
});

test('urgency: ok, near under a quarter of the limit or 10 minutes, breached, arrived, no rule', () => {
  const at = Date.parse('2026-12-03T10:00:00Z');
  const response = { deadline: { at: '2026-12-03T10:00:00Z', limit_seconds: '7200' } };
  assert.equal(urgency(response, at - 60 * 60 * 1000), 'ok');
  assert.equal(urgency(response, at - 29 * 60 * 1000), 'near');  // 2h limit: a quarter is 30 min
  assert.equal(urgency({ deadline: { ...response.deadline, limit_seconds: '1200' } }, at - 9 * 60 * 1000), 'near');
  assert.equal(urgency(response, at + 1000), 'breached');
  assert.equal(urgency({ ...response, breach_at: '2026-12-03T10:00:00Z' }, at - 1000), 'breached');
  assert.equal(urgency({ ...response, arrived_at: '2026-12-03T09:00:00Z' }, at + 1000), 'arrived');
  assert.equal(urgency({ unit_id: 'mine-3' }, at), 'no_rule');
});

test('the confirmed assignment serves a unit, else the proposed one', () => {
  const incident = {
    assignments: [
      { number: 1, unit_id: 'mine-3', state: 'superseded' },
      { number: 2, unit_id: 'mine-3', state: 'proposed' },
      { number: 3, unit_id: 'zz-office', state: 'confirmed' },
    ],
  };
  assert.equal(currentAssignment(incident, 'mine-3').number, 2);
  assert.equal(currentAssignment(incident, 'zz-office').number, 3);
  assert.equal(currentAssignment(incident, 'mine-6'), undefined);
});

test('roles: only what the role may do is offered; a unit officer acts for their unit only', () => {
  const commander = { role: 'commander', unitId: '' };
  const officer = { role: 'unit_officer', unitId: 'zz-office' };
  const auditor = { role: 'auditor', unitId: '' };
  assert.ok(can(commander, 'incident.command'));
  assert.ok(!can(officer, 'incident.command'));
  assert.ok(can(officer, 'incident.step', 'zz-office'));
  assert.ok(!can(officer, 'incident.step', 'mine-3'));
  assert.ok(!can(auditor, 'ledger.write'));
  assert.ok(!can(auditor, 'alerts.ack'));
  assert.ok(!can(null, 'incidents.read'));
  // Notifications as the access policy has them: read by commander,
  // petition office and auditor; acknowledged by the first two only.
  const office = { role: 'petition_office', unitId: '' };
  assert.ok(can(commander, 'notifications.ack') && can(office, 'notifications.ack'));
  assert.ok(can(auditor, 'notifications.read') && !can(auditor, 'notifications.ack'));
  assert.ok(!can(officer, 'notifications.read'));
  // Statistics compare units: not offered to a unit officer (the server refuses them too).
  assert.ok(can(commander, 'stats.read') && can(office, 'stats.read') && can(auditor, 'stats.read'));
  assert.ok(!can(officer, 'stats.read'));
});

test('both languages have every word; enum labels fall back to the value', () => {
  assert.deepEqual(Object.keys(dictionaries.en).sort(), Object.keys(dictionaries.zh).sort());
  setLanguage('zh');
  assert.equal(t('incidents.breached', { d: '0:05:00' }), '已超时 0:05:00');
  assert.equal(label('state', 'INCIDENT_STATE_DISPATCHED'), '已派遣');
  assert.equal(label('state', 'INCIDENT_STATE_NEW_ONE'), 'INCIDENT_STATE_NEW_ONE');
  setLanguage('en');
  assert.equal(label('state', 'INCIDENT_STATE_DISPATCHED'), 'dispatched');
  setLanguage('zh');
});

// A LiveFeed past its snapshot at `sequence`, with the items its listeners
// got and a socket that records being closed.
function feedAt(sequence) {
  const feed = new LiveFeed();
  const got = [];
  feed.onItem((item) => got.push(item.heartbeat !== undefined ? `hb${item.sequence}` : Number(item.sequence)));
  const socket = { closed: false, close() { this.closed = true; } };
  feed.receive(socket, JSON.stringify({ snapshot: { sequence: String(sequence) } }));
  return { feed, got, socket };
}

const item = (sequence) => ({ sequence: String(sequence), at: '2026-12-03T10:00:00Z', record_changed: { kind: 'incident', id: 'INC-1' } });

test('feed: a message of items is applied in order, one item at a time', () => {
  const { feed, got, socket } = feedAt(5);
  feed.receive(socket, JSON.stringify({ items: [item(6), item(7), { sequence: '7', heartbeat: {} }, item(8)] }));
  assert.deepEqual(got, [6, 7, 'hb7', 8]);
  assert.equal(feed.sequence, 8);
  assert.equal(socket.closed, false);
  feed.receive(socket, JSON.stringify({ items: [item(9)] }));
  assert.deepEqual(got, [6, 7, 'hb7', 8, 9]);
});

test('feed: items the snapshot already holds are skipped', () => {
  const { feed, got, socket } = feedAt(5);
  feed.receive(socket, JSON.stringify({ items: [item(4), item(5), item(6)] }));
  assert.deepEqual(got, [6]);
  assert.equal(socket.closed, false);
});

test('feed: a gap inside a message stops it there and resynchronises', () => {
  const { feed, got, socket } = feedAt(5);
  feed.receive(socket, JSON.stringify({ items: [item(6), item(8), item(9)] }));
  assert.deepEqual(got, [6]);
  assert.equal(feed.sequence, 6);
  assert.equal(socket.closed, true);
});

test('feed: a heartbeat ahead of the last item means items were lost', () => {
  const { got, socket, feed } = feedAt(5);
  feed.receive(socket, JSON.stringify({ items: [{ sequence: '6', heartbeat: {} }, item(6)] }));
  assert.deepEqual(got, []);
  assert.equal(socket.closed, true);
});

test('feed: a message of another shape closes the socket instead of going stale', () => {
  for (const text of ['{"item":{"sequence":"6"}}', '{"items":{}}', '[]', 'null', 'not json', '{"items":[7]}']) {
    const { feed, got, socket } = feedAt(5);
    feed.receive(socket, text);
    assert.deepEqual(got, [], text);
    assert.equal(socket.closed, true, text);
  }
});
