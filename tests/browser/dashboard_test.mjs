// The dashboard driven in Debian's chromium (headless) by playwright-core.
// Run by browser_dashboard_test (dashboard_test.cc), which starts the
// dispatcher and agents and writes the JSON configuration named by argv[2]:
//   {base_url, chromium, screenshots, commander: {user, password},
//    officer: {user, password, unit}, report_incident: [argv...]}
// Exits 0 when every check holds; otherwise prints the failed check and
// exits 1. Every wait has a deadline.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../dispatcher/dashboard/package.json'));
const { chromium } = require('playwright-core');

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const kWaitMs = 30000;
const started = Date.now();
const log = (...args) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...args);

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

function run(argv) {
  return new Promise((resolve, reject) => {
    execFile(argv[0], argv.slice(1), { timeout: 60000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${argv.slice(0, 5).join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

async function login(page, { user, password }) {
  await page.goto(config.base_url + '/');
  await page.locator('#login input[name=user]').fill(user, { timeout: kWaitMs });
  await page.locator('#login input[name=password]').fill(password);
  await page.locator('#login button[type=submit]').click();
  await page.locator('#who').filter({ hasText: user }).waitFor({ timeout: kWaitMs });
}

async function logout(page) {
  await page.locator('#logout').click();
  await page.locator('#login').waitFor({ timeout: kWaitMs });
}

// GET /api/v1/<name>?query in the page's session: {status, body}.
function apiGet(page, name, query) {
  return page.evaluate(
    async ([name, query]) => {
      const response = await fetch(`/api/v1/${name}?${new URLSearchParams(query)}`, { credentials: 'same-origin' });
      return { status: response.status, body: await response.text() };
    },
    [name, query],
  );
}

const browser = await chromium.launch({ executablePath: config.chromium, args: ['--no-sandbox', '--disable-gpu'] });
const overall = setTimeout(() => {
  console.error('browser test: overall deadline passed');
  browser.close().finally(() => process.exit(1));
}, 200000);
let page;
try {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page = await context.newPage();
  page.on('pageerror', (error) => log('page error:', error.message));

  // The commander logs in; the live feed connects.
  await login(page, config.commander);
  log('logged in as', config.commander.user);
  await page.locator('.feed-state.live').waitFor({ timeout: kWaitMs });
  await page.locator('#incident-rows').waitFor({ timeout: kWaitMs });

  // An agent reports an incident: it appears on the open board, without a reload.
  const reported = await run(config.report_incident);
  const id = (reported.match(/INC-\d{8}-\d{3}/) ?? [])[0];
  check(id, `the agent printed no incident id: ${reported}`);
  log('agent reported', id);
  const row = page.locator(`.incident-row[data-key^="${id}|"]`).first();
  await row.waitFor({ timeout: kWaitMs });
  log('incident appeared live on the board');
  check((await row.innerText()).includes('三矿职工20人到市政府反映补偿金问题'), 'the row shows the summary');

  // Its countdown: H:MM:SS, within the deadline's limit, and running.
  const countdown = row.locator('.countdown');
  const first = await countdown.innerText();
  check(/^\d+:\d\d:\d\d$/.test(first), `countdown "${first}" is a running countdown`);
  const seconds = (text) => text.split(':').reduce((total, part) => total * 60 + Number(part), 0);
  check(seconds(first) > 0 && seconds(first) <= 6 * 3600, `countdown ${first} is within a deadline`);
  await page.waitForFunction(
    ([id, before]) => document.querySelector(`.incident-row[data-key^="${id}|"] .countdown`)?.textContent !== before,
    [id, first],
    { timeout: 5000 },
  );
  const second = await countdown.innerText();
  check(seconds(second) < seconds(first), `countdown runs down (${first} → ${second})`);
  check((await row.locator('.rule').innerText()).trim().length > 0, 'the rule that set the deadline is shown');
  log('countdown runs', first, '→', second);
  await page.screenshot({ path: path.join(config.screenshots, 'incidents-board.png') });

  // The detail page: confirm the proposed assignment; the state changes.
  await row.locator('a.id').click();
  await page.locator('#incident-state').waitFor({ timeout: kWaitMs });
  const stateBefore = await page.locator('#incident-state').innerText();
  await page.locator('#confirm-assignment').click({ timeout: kWaitMs });
  await page.locator('.assignment-state', { hasText: '已确认' }).first().waitFor({ timeout: kWaitMs });
  await page.waitForFunction((before) => document.querySelector('#incident-state')?.textContent !== before, stateBefore, { timeout: kWaitMs });
  const stateAfter = await page.locator('#incident-state').innerText();
  log('confirmed:', stateBefore, '→', stateAfter);
  check(stateAfter === '已派遣', `the incident is dispatched after the confirmation (was ${stateBefore}, now ${stateAfter})`);
  const shown = await apiGet(page, 'show_incident', { incident_id: id });
  check(shown.status === 200 && shown.body.includes('INCIDENT_STATE_DISPATCHED'), `the API agrees: ${shown.status} ${shown.body.slice(0, 200)}`);
  await page.screenshot({ path: path.join(config.screenshots, 'incident-detail.png') });

  // The notifications board: the dispatch order to the confirmed team
  // (no SMS gateway in this set-up: the log channel), its delivery log,
  // and the commander's acknowledgement.
  await page.goto(config.base_url + '/#/notifications');
  const order = page.locator('.notification-row', { hasText: '出警指令' }).first();
  await order.waitFor({ timeout: kWaitMs });
  check((await order.locator('.channel').innerText()).includes('日志'), 'the order went to the log channel (no gateway)');
  check((await order.innerText()).includes('+86'), 'the row names the recipient');
  const notificationId = await order.getAttribute('data-id');
  await order.click();
  await page.locator('#notification-log tbody tr').first().waitFor({ timeout: kWaitMs });
  check((await page.locator('#notification-log').innerText()).includes('accepted'), 'the delivery log shows the attempt');
  await page.screenshot({ path: path.join(config.screenshots, 'notifications-board.png') });
  await page.locator('#notification-detail button[data-ack]').click({ timeout: kWaitMs });
  await page.locator('#notification-detail .ack', { hasText: 'zhang' }).waitFor({ timeout: kWaitMs });
  const acked = await apiGet(page, 'notify_show', { id: notificationId });
  check(acked.status === 200 && acked.body.includes('"acknowledged_by":"operator:zhang"'), `the API has the acknowledgement: ${acked.body.slice(0, 300)}`);
  log('notification', notificationId, 'listed, its log shown, acknowledged');

  // Back on the board the row shows the confirmed assignment.
  await page.goto(config.base_url + '/#/incidents');
  await page.locator(`.incident-row[data-key^="${id}|"] .assignment`, { hasText: '已确认' }).waitFor({ timeout: kWaitMs });

  // The wall screen: figures, charts, the incident with its countdown.
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(config.base_url + '/wall.html');
  await page.locator(`.wall-row[data-incident="${id}"] .wall-countdown`).waitFor({ timeout: kWaitMs });
  check(/^\d+:\d\d:\d\d$/.test(await page.locator(`.wall-row[data-incident="${id}"] .wall-countdown`).innerText()), 'the wall shows the countdown');
  check((await page.locator('#kpi-open .kpi-value').innerText()).trim() !== '0', 'the wall counts the open incident');
  await page.locator('#chart-states canvas').waitFor({ timeout: kWaitMs });
  await page.waitForTimeout(1200);  // let the charts' entry animation finish for the screenshot
  await page.screenshot({ path: path.join(config.screenshots, 'wall-screen.png') });
  log('wall screen shown');
  await page.setViewportSize({ width: 1600, height: 900 });

  // The statistics board, in Chinese: this year's figures from the same
  // requests as `anding stats …`; the reported incident is counted under
  // its category in the fund use, and the charts are drawn.
  await page.goto(config.base_url + '/#/stats');
  await page.locator('#stats-funds[data-incidents]').waitFor({ timeout: kWaitMs });
  check(Number(await page.locator('#stats-funds').getAttribute('data-incidents')) >= 1, 'the fund use counts the incident reported this year');
  check((await page.locator('#stats-funds').innerText()).includes('解除劳动合同补偿金'), 'the fund use names the categories in Chinese');
  await page.locator('#stats-visits[data-loaded]').waitFor({ timeout: kWaitMs });
  check((await page.locator('#stats-visits').innerText()).includes('批次'), 'the visits table counts batches');
  await page.locator('#stats-ledger[data-registered]').waitFor({ timeout: kWaitMs });
  check((await page.locator('#stats-ledger').innerText()).includes('合计'), 'the ledger statistics have a total row');
  await page.locator('#stats-responses table').waitFor({ timeout: kWaitMs });
  await page.locator('#chart-funds canvas').waitFor({ timeout: kWaitMs });
  await page.locator('#chart-visits canvas').waitFor({ timeout: kWaitMs });
  await page.waitForTimeout(1200);  // the charts' entry animation
  await page.screenshot({ path: path.join(config.screenshots, 'stats-board.png') });
  log('statistics board shown');
  await page.goto(config.base_url + '/#/incidents');

  // A unit officer of another unit: the API refuses the incident, and the
  // page shows the refusal, not the incident.
  await logout(page);
  await login(page, config.officer);
  log('logged in as', config.officer.user, 'of', config.officer.unit);
  const refused = await apiGet(page, 'show_incident', { incident_id: id });
  check(refused.status === 403, `show_incident of another unit's incident answers 403 (got ${refused.status} ${refused.body.slice(0, 200)})`);
  check(!refused.body.includes('补偿金'), 'the refusal carries none of the incident');
  const ledger = await apiGet(page, 'list_ledger_items', { unit_id: 'mine-3' });
  check(ledger.status === 403, `list_ledger_items of another unit answers 403 (got ${ledger.status})`);
  await page.goto(config.base_url + `/#/incident/${id}`);
  await page.locator('.error[data-status="403"]').waitFor({ timeout: kWaitMs });
  check(!(await page.locator('body').innerText()).includes('三矿职工20人'), 'the detail page does not show the incident');
  await page.goto(config.base_url + '/#/incidents');
  await page.waitForFunction(() => document.querySelector('#incident-count')?.dataset.incidents !== undefined, null, { timeout: kWaitMs });
  check((await page.locator(`.incident-row[data-key^="${id}|"]`).count()) === 0, "the board does not list another unit's incident");
  check(!(await page.locator('body').innerText()).includes('三矿职工20人'), 'the board does not show it');
  await page.screenshot({ path: path.join(config.screenshots, 'unit-officer.png') });
  const notices = await apiGet(page, 'notify_list', {});
  check(notices.status === 403, `a unit officer is refused the notifications (got ${notices.status} ${notices.body.slice(0, 300)})`);
  check((await page.locator('#nav a[data-route="notifications"]').count()) === 0, 'nor offered them in the menu');
  const ledgerStats = await apiGet(page, 'ledger_stats', {});
  check(ledgerStats.status === 403, `a unit officer is refused the statistics (got ${ledgerStats.status})`);
  check((await page.locator('#nav a[data-route="stats"]').count()) === 0, 'nor offered the statistics board');
  log('unit officer refused');
  console.log('browser test passed');
  clearTimeout(overall);
  await browser.close();
  process.exit(0);
} catch (error) {
  console.error(error.stack ?? String(error));
  if (page) await page.screenshot({ path: path.join(config.screenshots, 'failure.png') }).catch(() => {});
  clearTimeout(overall);
  await browser.close();
  process.exit(1);
}
