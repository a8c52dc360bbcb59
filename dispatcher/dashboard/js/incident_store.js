// The open incidents as the incidents board and the wall screen show them:
// loaded once (list_incidents, open only, the board's light view, in pages,
// up to 10,000), then kept current
// from the live feed by refetching each incident a feed item names
// (show_incident) — never by polling. A reconnect reloads everything.
//
// rows() gives one row per (incident, involved unit), most urgent first;
// the sort runs once per batch of changes (O(n log n)), not per change.
import * as api from './api.js';
import { millis } from './format.js';

const kListLimit = 10000;
const kPageSize = 2500;
const kFlushDelayMs = 150;
const kReloadAbove = 200;  // more changed incidents than this in a batch: reload the list
const kParallelFetches = 6;
let fetched = 0;  // stamps each fetched incident, so a row re-renders only when its incident changed

function stamp(incident) {
  incident.fetch_stamp = ++fetched;
  return incident;
}

// A responding unit's urgency: "arrived", "breached", "near", "ok",
// "no_rule". "near" = less than a quarter of its limit, or 10 minutes, left.
export function urgency(response, nowMs) {
  if (millis(response.arrived_at)) return 'arrived';
  const at = millis(response.deadline?.at);
  if (at === null) return 'no_rule';
  const left = at - nowMs;
  if (left < 0 || millis(response.breach_at)) return 'breached';
  const limitMs = Number(response.deadline?.limit_seconds ?? 0) * 1000;
  if (left <= Math.max(10 * 60 * 1000, limitMs / 4)) return 'near';
  return 'ok';
}

// The assignment that currently serves a responding unit.
export function currentAssignment(incident, unitId) {
  const assignments = (incident.assignments ?? []).filter((a) => a.unit_id === unitId);
  return (
    assignments.find((a) => a.state === 'confirmed') ?? assignments.find((a) => a.state === 'proposed') ?? assignments[assignments.length - 1]
  );
}

function rowsOf(incident) {
  const responses = incident.responses?.length ? incident.responses : [{ unit_id: '' }];
  return responses.map((response) => {
    const assignment = currentAssignment(incident, response.unit_id);
    const deadlineMs = millis(response.deadline?.at);
    const pending = !millis(response.arrived_at) && deadlineMs !== null;
    return {
      key: `${incident.id}|${response.unit_id}`,
      incident,
      response,
      assignment,
      deadlineMs,
      // Pending deadlines first, nearest first; then the rest, newest first.
      sortKey: pending ? deadlineMs : Number.MAX_SAFE_INTEGER - (millis(incident.reported_at) ?? 0) / 1e3,
    };
  });
}

export class IncidentStore {
  // unitId: only incidents involving this unit (a unit officer's view).
  constructor(unitId = '') {
    this.unitId = unitId;
    this.incidents = new Map();
    this.sorted = [];
    this.listeners = [];
    this.pendingIds = new Set();
    this.flushTimer = null;
    this.error = null;
    this.loaded = false;
    this.generation = 0;
    this.refreshed = new Set();  // ids refetched from the feed during a reload
  }

  // listener(store) after every change of the rows (or a load error).
  onChange(listener) {
    this.listeners.push(listener);
  }

  changed() {
    this.sorted = [];
    for (const incident of this.incidents.values()) this.sorted.push(...rowsOf(incident));
    this.sorted.sort((a, b) => a.sortKey - b.sortKey || (a.key < b.key ? -1 : 1));
    for (const listener of this.listeners) listener(this);
  }

  rows() {
    return this.sorted;
  }

  // Loads the open incidents afresh, in pages of the board's view (only
  // the fields the boards show); the rows are drawn after the first page
  // and again after each further one. A newer reload supersedes this one.
  async reload() {
    const generation = ++this.generation;
    this.pendingIds.clear();
    this.refreshed = new Set();
    // Marks for bench/dashboard/first_load.mjs: the first page's arrival
    // (downloaded and parsed), the first rows drawn, the whole list drawn.
    performance.mark('anding:incidents-requested');
    const incidents = new Map();
    let token = '';
    let first = true;
    try {
      do {
        const request = { open_only: true, limit: kPageSize, unit_id: this.unitId, view: 'INCIDENT_LIST_VIEW_BOARD', page_token: token };
        const result = await api.call('list_incidents', request, 'incidents');
        if (generation !== this.generation) return;
        for (const incident of result.incidents ?? []) {
          // A feed refetch since this reload began is newer than the page.
          if (!this.refreshed.has(incident.id)) incidents.set(incident.id, stamp(incident));
        }
        token = result.next_page_token ?? '';
        if (first) {
          performance.mark('anding:incidents-parsed');
          first = false;
        }
        for (const id of this.refreshed) if (this.incidents.has(id)) incidents.set(id, this.incidents.get(id));
        this.incidents = incidents;
        this.error = null;
        this.loaded = true;
        this.changed();
        if (this.incidents.size && !performance.getEntriesByName('anding:incidents-first-drawn').length) performance.mark('anding:incidents-first-drawn');
      } while (token && incidents.size < kListLimit);
    } catch (error) {
      if (generation !== this.generation) return;
      this.error = error;
      this.loaded = true;
      this.changed();
    }
    performance.mark('anding:incidents-drawn');
  }

  // A feed item: an incident that changed is refetched (batched).
  onItem(item) {
    const record = item.record_changed;
    if (!record || record.kind !== 'incident' || !record.id) return;
    this.pendingIds.add(record.id);
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), kFlushDelayMs);
  }

  async flush() {
    this.flushTimer = null;
    const ids = [...this.pendingIds];
    this.pendingIds.clear();
    if (ids.length > kReloadAbove) return this.reload();
    const queue = [...ids];
    const worker = async () => {
      while (queue.length) {
        const id = queue.shift();
        try {
          const result = await api.call('show_incident', { incident_id: id }, 'incident');
          const incident = result.incident;
          this.refreshed.add(id);
          if (!incident || incident.state === 'INCIDENT_STATE_CLOSED' ||
              incident.state === 'INCIDENT_STATE_CANCELLED') this.incidents.delete(id);
          else {
            delete incident.timeline;  // the board does not show it; keep memory small
            this.incidents.set(id, stamp(incident));
          }
        } catch (error) {
          // Gone or no longer ours to see (403/404): not on the board.
          if (error.status === 403 || error.status === 404) this.incidents.delete(id);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(kParallelFetches, ids.length) }, worker));
    this.changed();
  }

  destroy() {
    clearTimeout(this.flushTimer);
    this.listeners = [];
  }
}
