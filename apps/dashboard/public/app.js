import { api, apiUrl, onUnauthorized } from './lib/api.js';
import { loadCatalog, regimeCodeName } from './lib/catalog.js';
import { alertBox, h } from './lib/dom.js';
import { hasRole, setLanguage, state, thisYear, TOKEN_KEY, words } from './lib/state.js';
import { approvalsView } from './screens/approvals.js';
import { auditView } from './screens/audit.js';
import { admissionView, beneficiaryView, enrolView, registerView } from './screens/beneficiaries.js';
import { budgetView } from './screens/budget.js';
import { cardsView } from './screens/cards.js';
import { financeView } from './screens/finance.js';
import { lineageView, payoutsView, recoveriesView } from './screens/payouts.js';
import { policiesView } from './screens/policies.js';
import { recordsView } from './screens/records.js';
import { reorganizationsView } from './screens/reorganizations.js';
import { reportView } from './screens/report.js';
import { unitsView } from './screens/units.js';
import { usersView } from './screens/users.js';

/**
 * The office's dashboard: a single page over the API, Vietnamese by default, each role's work
 * screens in its menu. Every figure shown comes from the API's read models as they answer;
 * nothing is computed here but formatting.
 */
const view = document.getElementById('view');

/** The menu: entries by role, the reports and the administration folded into drop-downs; `waiting` counts a queue. */
const MENU = [
  {
    key: 'nav.approvals',
    hash: '#/approvals',
    roles: ['approver'],
    waiting: ({ approvals: a }) => a.claims + a.admissions + a.overCapConfirmations + a.adjustments,
  },
  { key: 'nav.finance', hash: '#/finance', roles: ['finance'], waiting: ({ payments: p }) => p.payouts + p.recoveries },
  { key: 'nav.records', hash: '#/records', roles: ['clerk', 'administrator'], waiting: ({ records: r }) => r.openStays + r.withoutCard },
  { key: 'nav.beneficiaries', hash: '#/beneficiaries' },
  { key: 'nav.cards', hash: '#/cards' },
  {
    key: 'nav.reports',
    items: [
      { key: 'nav.budget', hash: '#/budget' },
      { key: 'nav.payouts', hash: '#/payouts' },
      { key: 'nav.recoveries', hash: '#/recoveries' },
      { key: 'nav.report', hash: '#/report' },
    ],
  },
  {
    key: 'nav.admin',
    roles: ['administrator'],
    items: [
      { key: 'nav.users', hash: '#/users' },
      { key: 'nav.policies', hash: '#/policies' },
      { key: 'nav.reorganizations', hash: '#/reorganizations' },
      { key: 'nav.units', hash: '#/units' },
    ],
  },
  { key: 'nav.audit', hash: '#/audit', roles: ['auditor', 'administrator'] },
];

const ROUTES = [
  [/^#\/budget(?:\/(\d{4}))?$/, (year) => budgetView(year)],
  [/^#\/beneficiaries$/, () => registerView()],
  [/^#\/beneficiaries\/new$/, () => enrolView()],
  [/^#\/beneficiaries\/([^/]+)$/, (id) => beneficiaryView(decodeURIComponent(id))],
  [/^#\/admissions\/([^/]+)$/, (id) => admissionView(decodeURIComponent(id))],
  [/^#\/cards$/, () => cardsView()],
  [/^#\/approvals$/, () => approvalsView()],
  [/^#\/finance$/, () => financeView()],
  [/^#\/records$/, () => recordsView()],
  [/^#\/payouts(?:\/year\/(\d{4}))?$/, (year) => payoutsView(year)],
  [/^#\/payouts\/([^/]+)$/, (id) => lineageView(decodeURIComponent(id))],
  [/^#\/recoveries(?:\/(\d{4}))?$/, (year) => recoveriesView(year)],
  [/^#\/report(?:\/(\d{4}))?$/, (year) => reportView(year)],
  [/^#\/users$/, () => usersView()],
  [/^#\/policies$/, () => policiesView()],
  [/^#\/reorganizations$/, () => reorganizationsView()],
  [/^#\/units$/, () => unitsView()],
  [/^#\/audit$/, () => auditView()],
];

/** Where each role starts: what waits for it. */
function home() {
  if (hasRole('approver')) return '#/approvals';
  if (hasRole('finance')) return '#/finance';
  if (hasRole('administrator')) return '#/budget';
  if (hasRole('clerk', 'council-member')) return '#/beneficiaries';
  if (hasRole('auditor')) return '#/audit';
  return '#/budget';
}

function signInView() {
  const username = h('input', { class: 'form-control', name: 'username', id: 'username', autocomplete: 'username', required: true });
  const password = h('input', { class: 'form-control', name: 'password', id: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const message = h('div', { class: 'text-danger small mt-2', role: 'alert' });
  return h(
    'form',
    {
      class: 'card card-body mx-auto mt-5',
      style: 'max-width: 24rem',
      id: 'sign-in',
      onsubmit: async (event) => {
        event.preventDefault();
        const response = await fetch(apiUrl('/auth/token'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: username.value, password: password.value }),
        });
        if (!response.ok) return void (message.textContent = words.t('signInFailed'));
        state.token = (await response.json()).accessToken;
        sessionStorage.setItem(TOKEN_KEY, state.token);
        await loadUser();
        // A new hash routes by itself (hashchange); the same one is shown again here.
        if (location.hash === home()) await route();
        else location.hash = home();
      },
    },
    h('h1', { class: 'h4 mb-3' }, words.t('signIn')),
    h('label', { class: 'form-label', for: 'username' }, words.t('username')),
    username,
    h('label', { class: 'form-label mt-2', for: 'password' }, words.t('password')),
    password,
    message,
    h('button', { class: 'btn btn-primary mt-3' }, words.t('signIn')),
  );
}

async function loadUser() {
  state.user = state.token ? await api('/auth/me').catch(() => null) : null;
  if (state.user) await loadCatalog();
}

function signOut() {
  state.token = null;
  state.user = null;
  sessionStorage.removeItem(TOKEN_KEY);
  location.hash = '#/';
}
onUnauthorized(() => {
  signOut();
  void route();
});

const allowed = (entry) => !entry.roles || hasRole(...entry.roles);
const navId = (entry) => entry.hash?.slice(2) ?? entry.key.slice(4);

function menuLink(entry, inDropdown) {
  const current = location.hash === entry.hash || location.hash.startsWith(`${entry.hash}/`);
  return h(
    'a',
    {
      class: inDropdown ? `dropdown-item${current ? ' active' : ''}` : `nav-link${current ? ' active' : ''}`,
      href: entry.hash,
      'data-nav': navId(entry),
      'aria-current': current ? 'page' : undefined,
    },
    words.t(entry.key),
    entry.waiting ? h('span', { class: 'badge rounded-pill text-bg-light ms-1 waiting', 'data-waiting': navId(entry), hidden: true }) : null,
  );
}

function buildMenu() {
  const menu = document.getElementById('menu');
  menu.replaceChildren(
    ...MENU.filter(allowed).map((entry) =>
      entry.items
        ? h(
            'li',
            { class: 'nav-item dropdown' },
            h(
              'button',
              { class: 'nav-link dropdown-toggle', type: 'button', 'data-bs-toggle': 'dropdown', 'aria-expanded': 'false', 'data-nav': navId(entry) },
              words.t(entry.key),
            ),
            h(
              'ul',
              { class: 'dropdown-menu' },
              entry.items.filter(allowed).map((item) => h('li', {}, menuLink(item, true))),
            ),
          )
        : h('li', { class: 'nav-item' }, menuLink(entry, false)),
    ),
  );
}

/** How many items wait in each of my queues, beside their menu entries. */
let countsAsked = 0;
async function countWaiting() {
  const queues = MENU.filter((entry) => entry.waiting && allowed(entry));
  if (queues.length === 0) return;
  const asked = (countsAsked += 1);
  const counts = await api('/work-queues/counts').catch(() => undefined);
  if (asked !== countsAsked) return;
  for (const entry of queues) {
    const badge = document.querySelector(`[data-waiting="${navId(entry)}"]`);
    if (!badge || !counts) continue;
    const count = entry.waiting(counts);
    badge.hidden = count === 0;
    badge.textContent = words.num(count);
    badge.setAttribute('aria-label', `${words.num(count)} ${words.t('waiting')}`);
  }
}

/** A notice for each regime whose budget this year has passed 80 % or 100 %. */
let noticesAsked = 0;
async function budgetNotices() {
  const year = thisYear();
  const asked = (noticesAsked += 1);
  const budget = await api(`/budget/${year}`).catch(() => undefined);
  // An earlier answer arriving late must not replace a later one.
  if (asked === noticesAsked) showNotices(budget, year);
}

function showNotices(budget, year) {
  const passed = (budget?.regimes ?? []).filter((regime) => regime.alerts.length > 0);
  document.getElementById('notices').replaceChildren(
    ...passed.map((regime) => {
      const highest = Math.max(...regime.alerts.map((alert) => alert.percent));
      const values = { regime: regimeCodeName(regime.regimeCode), percent: words.percent(regime.usedPercent), year };
      return alertBox(highest >= 100 ? 'danger' : 'warning', words.t(highest >= 100 ? 'budgetExhausted' : 'budgetWarning', values), {
        'data-testid': `budget-notice-${regime.regimeCode}-${highest}`,
      });
    }),
  );
}

// The budget screen's own reading of this year: the notices then agree with its table.
document.addEventListener('budget-read', ({ detail }) => {
  noticesAsked += 1;
  showNotices(detail, thisYear());
});

function chrome() {
  document.documentElement.lang = state.language;
  for (const element of document.querySelectorAll('[data-i18n]')) element.textContent = words.t(element.dataset.i18n);
  document.getElementById('menu').hidden = !state.user;
  document.getElementById('sign-out').hidden = !state.user;
  // A process may serve several provinces: say which one this is, beside who works in it.
  document.getElementById('who').textContent = state.user ? `${state.user.fullName ?? state.user.username} · ${state.user.province.name}` : '';
  document.getElementById('languages').setAttribute('aria-label', words.t('language'));
  for (const button of document.querySelectorAll('[data-language]')) {
    const active = button.dataset.language === state.language;
    button.classList.toggle('active', active);
    button.setAttribute('aria-pressed', String(active));
  }
  buildMenu();
  // A phone's menu folds away once an entry is chosen.
  const navigation = document.getElementById('navigation');
  if (navigation.classList.contains('show')) window.bootstrap.Collapse.getOrCreateInstance(navigation).hide();
}

/** Counts navigations: a screen still loading when the reader moved on must not replace the one they moved to. */
let navigations = 0;

async function route() {
  const navigation = ++navigations;
  chrome();
  for (const chart of state.charts.splice(0)) chart.destroy();
  if (!state.user) {
    delete view.dataset.ready;
    document.getElementById('notices').replaceChildren();
    return view.replaceChildren(signInView());
  }
  const hash = ROUTES.some(([pattern]) => pattern.test(location.hash)) ? location.hash : home();
  const [pattern, show] = ROUTES.find(([candidate]) => candidate.test(hash));
  view.replaceChildren(h('div', { class: 'text-body-secondary' }, words.t('loading')));
  delete view.dataset.ready;
  void countWaiting();
  void budgetNotices();
  try {
    const screen = await show(...pattern.exec(hash).slice(1));
    if (navigation !== navigations) return;
    view.replaceChildren(screen);
    view.dataset.ready = hash;
  } catch (error) {
    if (navigation !== navigations) return;
    // The API's refusals in the reader's words; a fault of the screen itself in words too, its detail for the console.
    if (!error.said) console.error(error);
    view.replaceChildren(alertBox('danger', `${words.t('error')}: ${error.said ?? words.code('rule', 'unknown')}`));
  }
}

// After a command, the counts in the menu and the notices follow what it recorded.
document.addEventListener('recorded', () => {
  void countWaiting();
  void budgetNotices();
});

document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  void route();
});
for (const button of document.querySelectorAll('[data-language]')) {
  button.addEventListener('click', () => {
    setLanguage(button.dataset.language);
    void route();
  });
}
window.addEventListener('hashchange', () => void route());
await loadUser();
await route();
