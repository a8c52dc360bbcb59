// The dashboard's first load with many open incidents, in Debian's chromium
// (headless, playwright-core from dispatcher/dashboard/node_modules).
//
//   node bench/dashboard/first_load.mjs BASE_URL USER PASSWORD [COUNT] [RUNS]
//
// Against a running dispatcher (deploy/quickstart's demo, say): tops the
// open incidents up to COUNT (default 10,000) with report_incident through
// the REST API (HQ-reported incidents in Hebi), then opens the incidents
// board RUNS times (default 5) in a fresh browser context and measures
// from navigation to the board showing all COUNT rows' count with its
// first rows drawn (login excluded: the session is made before). Prints
// each run with the page's own phases, the median, the list's JSON size
// (whole incidents, and the board's view in pages) and the number of row
// elements in the DOM. bench/dashboard/real_first_load.sh runs it against
// a real dispatcher, before and after the light list.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../dispatcher/dashboard/package.json'));
const { chromium } = require('playwright-core');

const [baseUrl, user, password, countText = '10000', runsText = '5'] = process.argv.slice(2);
if (!password) {
  console.error('usage: node bench/dashboard/first_load.mjs BASE_URL USER PASSWORD [COUNT] [RUNS]');
  process.exit(2);
}
const count = Number(countText);
const runs = Number(runsText);

async function session() {
  const response = await fetch(`${baseUrl}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user, password }) });
  if (!response.ok) throw new Error(`login: ${response.status} ${await response.text()}`);
  const body = await response.json();
  return { cookie: response.headers.get('set-cookie').split(';')[0], csrf: body.csrf_token };
}

async function call(auth, name, request) {
  const response = await fetch(`${baseUrl}/api/v1/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: auth.cookie, 'X-CSRF-Token': auth.csrf },
    body: JSON.stringify(request),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${name}: ${response.status} ${text.slice(0, 300)}`);
  return { json: JSON.parse(text), bytes: text.length };
}

const auth = await session();
let open = (await call(auth, 'list_incidents', { open_only: true, limit: 10000 })).json.incidents?.incidents?.length ?? 0;
console.log(`open incidents: ${open}; reporting ${Math.max(0, count - open)} more`);
const queue = Array.from({ length: Math.max(0, count - open) }, (_, i) => i);
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (queue.length) {
      const i = queue.shift();
      await call(auth, 'report_incident', {
        report: { type: 'INCIDENT_TYPE_GROUP_PETITION', place: { region_id: 'hebi', address: `基准测试地点 ${i}` }, persons: 5, involved_unit_ids: ['mine-3'], summary: `基准测试事件 ${i}` },
      });
    }
  }),
);
const listed = await call(auth, 'list_incidents', { open_only: true, limit: 10000 });
open = listed.json.incidents?.incidents?.length ?? 0;
// The board's view in the pages the board asks for (when the server has it).
let boardBytes = 0;
let pages = 0;
let token = '';
try {
  do {
    const page = await call(auth, 'list_incidents', { open_only: true, limit: 2500, view: 'INCIDENT_LIST_VIEW_BOARD', page_token: token });
    boardBytes += page.bytes;
    pages++;
    token = page.json.incidents?.next_page_token ?? '';
  } while (token);
} catch (error) {
  console.log(`no board view on this server: ${error.message.slice(0, 120)}`);
}
console.log(
  `open incidents now: ${open}; list_incidents answer: whole incidents ${(listed.bytes / 1e6).toFixed(1)} MB, ` +
    `board view ${(boardBytes / 1e6).toFixed(1)} MB in ${pages} pages`,
);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const times = [];
let domRows = 0;
for (let run = 0; run < runs; run++) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const url = new URL(baseUrl);
  await context.addCookies([{ name: auth.cookie.split('=')[0], value: auth.cookie.split('=').slice(1).join('='), domain: url.hostname, path: '/' }]);
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(`${baseUrl}/#/incidents`);
  await page.waitForFunction((n) => document.querySelector('#incident-count')?.dataset.incidents === String(n) && document.querySelectorAll('.incident-row').length > 0, open, {
    timeout: 120000,
  });
  times.push(Date.now() - t0);
  domRows = await page.locator('.virtual-row').count();
  // The page's own phases (performance marks set by js/incident_store.js).
  const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])));
  const phase = (from, to) => Math.round(marks[`anding:${to}`] - marks[`anding:${from}`]);
  const firstRows = marks['anding:incidents-first-drawn'] !== undefined ? `, first rows drawn at ${Math.round(marks['anding:incidents-first-drawn'])} ms` : '';
  console.log(
    `run ${run + 1}: ${times[times.length - 1]} ms (page scripts until the request ${Math.round(marks['anding:incidents-requested'])} ms, ` +
      `request to (first) parsed answer ${phase('incidents-requested', 'incidents-parsed')} ms${firstRows}, ` +
      `request to all drawn ${phase('incidents-requested', 'incidents-drawn')} ms)`,
  );
  await context.close();
}
await browser.close();
times.sort((a, b) => a - b);
console.log(`first load of the incidents board with ${open} open incidents: median ${times[Math.floor(times.length / 2)]} ms (min ${times[0]}, max ${times[times.length - 1]}); ${domRows} row elements in the DOM`);
