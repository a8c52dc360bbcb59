// The dashboard's frame: login, the menu for the role, the language switch,
// the live feed, and the router that mounts one board at a time.
//
// A board module exports mount(container, context) and returns an object
// with destroy() and optionally onSnapshot(snapshot), onItem(item) and
// tick() (once a second, for countdowns). A board loads its data when
// mounted; onSnapshot(snapshot, {initial}) with initial false means the
// feed (re)connected and the board must refetch. context = {session, feed,
// params, navigate}.
import * as api from './api.js';
import { LiveFeed } from './feed.js';
import { t, translate, setLanguage, currentLanguage } from './i18n.js';
import { dateTime, esc } from './format.js';
import { html, errorBox } from './dom.js';
import { can } from './roles.js';

const routes = {
  incidents: () => import('./boards/incidents.js'),
  incident: () => import('./boards/incident_detail.js'),
  units: () => import('./boards/units.js'),
  ledger: () => import('./boards/ledger.js'),
  funds: () => import('./boards/funds.js'),
  alerts: () => import('./boards/alerts.js'),
  notifications: () => import('./boards/notifications.js'),
  stats: () => import('./boards/stats.js'),
  wall: () => import('./boards/wall.js'),
};

const menu = [
  ['incidents', 'incidents.read'],
  ['units', 'units.read'],
  ['ledger', 'incidents.read'],
  ['funds', 'funds.read'],
  ['alerts', 'incidents.read'],
  ['notifications', 'notifications.read'],
  ['stats', 'stats.read'],
  ['wall', 'wall'],
];

const feed = new LiveFeed();
let board = null;
let mountToken = 0;
let lastSnapshot = null;

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function renderFrame(session) {
  document.getElementById('top').hidden = false;
  translate(document.getElementById('top'));
  const nav = document.getElementById('nav');
  nav.replaceChildren(
    ...menu.filter(([, action]) => can(session, action)).map(([name]) => html(`<a href="#/${name}" data-route="${name}">${esc(t(`nav.${name}`))}</a>`)),
  );
  const unit = session.unitId ? ` · ${session.unitId}` : '';
  document.getElementById('who').textContent = `${session.user} (${t(`role.${session.role}`)}${unit})`;
  document.getElementById('lang').textContent = t('app.language');
}

function showLogin(message = '') {
  feed.stop();
  if (board) board.destroy();
  board = null;
  document.body.classList.remove('wall-mode');
  document.getElementById('top').hidden = true;
  const view = document.getElementById('view');
  view.replaceChildren(
    html(`<form id="login" class="login">
      <h1>${esc(t('login.title'))}</h1>
      <label>${esc(t('login.user'))}<input name="user" autocomplete="username" required></label>
      <label>${esc(t('login.password'))}<input name="password" type="password" autocomplete="current-password" required></label>
      <button type="submit">${esc(t('login.submit'))}</button>
      <button type="button" class="link" id="login-lang">${esc(t('app.language'))}</button>
      ${message ? `<div class="error" role="alert">${esc(message)}</div>` : ''}
    </form>`),
  );
  const form = document.getElementById('login');
  document.getElementById('login-lang').onclick = () => {
    setLanguage(currentLanguage() === 'zh' ? 'en' : 'zh');
    showLogin(message);
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await api.login(String(data.get('user')), String(data.get('password')));
      start();
    } catch (error) {
      showLogin(t('login.failed', { message: error.message || error.code }));
    }
  });
}

async function route() {
  const session = api.currentSession();
  if (!session) return;
  const [name = 'incidents', ...params] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const load = routes[name] ?? routes.incidents;
  const token = ++mountToken;
  if (board) board.destroy();
  board = null;
  document.body.classList.toggle('wall-mode', name === 'wall');
  for (const link of document.querySelectorAll('#nav a')) link.classList.toggle('active', link.dataset.route === name);
  const view = document.getElementById('view');
  view.replaceChildren(html(`<p class="muted">${esc(t('app.loading'))}</p>`));
  try {
    const module = await load();
    if (token !== mountToken) return;
    const container = document.createElement('section');
    container.className = `board board-${name}`;
    view.replaceChildren(container);
    board = module.mount(container, { session, feed, params, navigate });
    if (lastSnapshot && board.onSnapshot) board.onSnapshot(lastSnapshot, { initial: true });
  } catch (error) {
    view.replaceChildren(errorBox(error));
  }
}

function start() {
  const session = api.currentSession();
  renderFrame(session);
  feed.start();
  route();
}

feed.onSnapshot((snapshot) => {
  lastSnapshot = snapshot;
  // The board loaded what it shows when it was mounted, perhaps before this
  // snapshot's sequence: it refetches, so that nothing between is missed.
  if (board?.onSnapshot) board.onSnapshot(snapshot, { initial: false });
});
feed.onItem((item) => board?.onItem?.(item));
feed.onState((state, retry) => {
  const element = document.getElementById('feed-state');
  element.className = `feed-state ${state}`;
  element.textContent = state === 'offline' ? t('feed.offline', { s: retry }) : t(`feed.${state}`);
});

setInterval(() => {
  document.getElementById('clock').textContent = dateTime(feed.now());
  board?.tick?.();
}, 1000);

window.addEventListener('hashchange', route);
api.onUnauthenticated(() => showLogin(t('error.UNAUTHENTICATED')));
document.getElementById('logout').onclick = async () => {
  await api.logout().catch(() => {});
  showLogin();
};
document.getElementById('lang').onclick = () => {
  setLanguage(currentLanguage() === 'zh' ? 'en' : 'zh');
  renderFrame(api.currentSession());
  route();
};

setLanguage(currentLanguage());
api
  .resume()
  .then((session) => (session ? start() : showLogin()))
  .catch((error) => showLogin(error.message));
