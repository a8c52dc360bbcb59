// A stand-in for the dispatcher's HTTP face that answers the dashboard's
// requests with N synthetic open incidents, shaped like the real
// IncidentView (two involved units each, proposals with members, contacts
// and reasons, no timeline — as list_incidents answers), for measuring the
// page's own cost (download, JSON parse, sort, render) apart from the
// dispatcher's. Benchmark tooling only: it implements no rule and checks
// no password.
//
//   node bench/dashboard/synthetic_api.mjs PORT COUNT
//   node bench/dashboard/first_load.mjs http://127.0.0.1:PORT bench bench COUNT
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../dispatcher/dashboard');
const port = Number(process.argv[2] ?? 8377);
const count = Number(process.argv[3] ?? 10000);
const start = Date.now();
const iso = (ms) => new Date(ms).toISOString();

function incident(i) {
  const units = [`mine-${i % 40}`, `mine-${(i + 7) % 40}`];
  const reported = start - (i % 600) * 60000;
  return {
    id: `INC-20261203-${String(i).padStart(5, '0')}`,
    sequence: String(i + 1),
    state: i % 3 ? 'INCIDENT_STATE_DISPATCHED' : 'INCIDENT_STATE_REPORTED',
    grade: 'RISK_LEVEL_HIGH',
    reported_at: iso(reported),
    registered_at: iso(reported),
    reported_by: `agent:${units[0]}`,
    report: {
      type: 'INCIDENT_TYPE_GROUP_PETITION',
      place: { region_id: 'hebi', address: `市政府北门 ${i}` },
      occurred_at: iso(reported),
      persons: 20 + (i % 30),
      involved_unit_ids: units,
      summary: `${units[0]} 职工${20 + (i % 30)}人到市政府反映补偿金问题`,
      category_id: 'labour-contract-compensation',
    },
    responses: units.map((unit, k) => ({
      unit_id: unit,
      deadline: { rule_id: k ? 'home-city-outside' : 'home-city-local', rule_text: k ? '鹤壁市外单位到达鹤壁现场: 2h' : '鹤壁市内单位到达鹤壁现场: 1h', limit_seconds: k ? '7200' : '3600', at: iso(reported + (k ? 7200000 : 3600000)) },
    })),
    assignments: units.map((unit, k) => ({
      number: k + 1,
      unit_id: unit,
      state: i % 3 ? 'confirmed' : 'proposed',
      team_id: `team-${unit}`,
      team_unit_id: unit,
      members: [
        { member_id: `${unit}-l1`, contact: { name: '施红', phone: '+8613903923001' }, role: 'leader' },
        { member_id: `${unit}-s1`, contact: { name: '张华', phone: '+8613903923011' }, role: 'staff' },
        { member_id: `${unit}-d1`, contact: { name: '严冬', phone: '+8613903923021' }, role: 'driver' },
      ],
      vehicle_ids: [`veh-${unit}-1`],
      seats: 7,
      mobilisation_seconds: '900',
      travel_seconds: '1800',
      distance_m: '12000',
      eta: iso(reported + 2700000),
      explanation: { reasons: ['本单位队伍可按时到达', '车辆座位满足人数'], rejected: [{ team_id: 'team-zz', unit_id: 'zz-office', reason: '无法按时到达' }] },
      proposed_at: iso(reported),
      proposed_by: 'system',
    })),
  };
}

const incidents = Array.from({ length: count }, (_, i) => incident(i));
const answers = {
  list_incidents: () => ({ incidents: { incidents } }),
  list_agents: () => ({ list_agents: { agents: [] } }),
  daily_summary: () => ({ daily_summary: { rows: [], totals: {} } }),
  list_alerts: () => ({ list_alerts: { alerts: [] } }),
};
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

http
  .createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const url = new URL(request.url, 'http://localhost');
      if (url.pathname === '/api/v1/login' || url.pathname === '/api/v1/session') {
        response.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': 'anding_session=bench; HttpOnly; SameSite=Strict; Path=/' });
        return response.end(JSON.stringify({ user: 'bench', role: 'commander', unit_id: '', csrf_token: 'bench' }));
      }
      if (url.pathname.startsWith('/api/v1/')) {
        const answer = answers[url.pathname.slice(8)];
        response.writeHead(answer ? 200 : 404, { 'Content-Type': 'application/json' });
        return response.end(JSON.stringify(answer ? answer() : { error: { code: 'NOT_FOUND', message: 'not in the synthetic API' } }));
      }
      const file = path.join(root, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
      if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        response.writeHead(404);
        return response.end();
      }
      response.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
      fs.createReadStream(file).pipe(response);
    });
  })
  .listen(port, '127.0.0.1', () => console.log(`synthetic API with ${count} open incidents on http://127.0.0.1:${port}`));
