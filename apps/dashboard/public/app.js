import { date, TEXTS, time, vnd } from './i18n.js';

/**
 * The office's dashboard: a single page over the API, Vietnamese by default. Every figure shown
 * comes from the API's read models as they answer; nothing is computed here but formatting.
 */
const state = {
  language: localStorage.getItem('language') || 'vi',
  token: sessionStorage.getItem('token'),
  user: null,
  charts: [],
};
const view = document.getElementById('view');
const t = (key) => TEXTS[state.language][key] ?? key;
/** A person's name, or what stands for it once their personal data was erased (the API gives null). */
const nameOf = (fullName) => fullName ?? t('erased');

/** An element with attributes (`on*` as listeners) and children (strings become text, never HTML). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) element.append(child instanceof Node ? child : String(child));
  return element;
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: {
      ...(options.body && !(options.body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
      ...(state.token ? { authorization: `Bearer ${state.token}` } : {}),
      ...options.headers,
    },
  });
  if (response.status === 401) {
    signOut();
    throw new Error(t('signInFailed'));
  }
  const body = response.headers.get('content-type')?.includes('json') ? await response.json() : await response.blob();
  if (!response.ok) throw new Error(body?.message ? `${body.rule ?? response.status}: ${body.message}` : String(response.status));
  return body;
}

const post = (path, body) => api(path, { method: 'POST', body: JSON.stringify(body ?? {}), headers: { 'command-id': crypto.randomUUID() } });

function table(headings, rows, attributes = {}) {
  return h(
    'table',
    { class: 'table table-sm table-striped align-middle', ...attributes },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headings.map((heading) => h('th', { class: heading.money ? 'money' : '' }, heading.label ?? heading)),
      ),
    ),
    h('tbody', {}, rows),
  );
}

const money = (amount, testId) => h('td', { class: 'money', 'data-testid': testId }, vnd(amount));
const failure = (error) => h('div', { class: 'alert alert-danger', role: 'alert' }, `${t('error')}: ${error.message}`);

function yearPicker(year, go) {
  const input = h('input', {
    class: 'form-control form-control-sm',
    type: 'number',
    min: 2000,
    max: 2100,
    value: year,
    style: 'width: 7rem',
    'aria-label': t('year'),
  });
  return h(
    'form',
    {
      class: 'd-flex gap-2 mb-3',
      onsubmit: (event) => {
        event.preventDefault();
        go(input.value);
      },
    },
    h('label', { class: 'col-form-label-sm' }, t('year')),
    input,
    h('button', { class: 'btn btn-sm btn-primary' }, t('show')),
  );
}

function signInView() {
  const username = h('input', { class: 'form-control', name: 'username', autocomplete: 'username' });
  const password = h('input', { class: 'form-control', name: 'password', type: 'password', autocomplete: 'current-password' });
  const message = h('div', { class: 'text-danger small', role: 'alert' });
  const form = h(
    'form',
    {
      class: 'card card-body mx-auto mt-5',
      style: 'max-width: 24rem',
      id: 'sign-in',
      onsubmit: async (event) => {
        event.preventDefault();
        const response = await fetch('/auth/token', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: username.value, password: password.value }),
        });
        if (!response.ok) return void (message.textContent = t('signInFailed'));
        state.token = (await response.json()).accessToken;
        sessionStorage.setItem('token', state.token);
        await loadUser();
        location.hash = '#/budget';
        route();
      },
    },
    h('h1', { class: 'h4 mb-3' }, t('signIn')),
    h('label', { class: 'form-label' }, t('username'), username),
    h('label', { class: 'form-label mt-2' }, t('password'), password),
    message,
    h('button', { class: 'btn btn-primary mt-3' }, t('signIn')),
  );
  return form;
}

async function budgetView(year = '2025') {
  const budget = await api(`/budget/${year}`);
  const regimes = budget.regimes;
  const canvas = h('canvas', { 'aria-label': t('budgetTitle'), role: 'img' });
  const groups = [...new Set(budget.spending.map((line) => line.group))].sort((a, b) => a - b);
  const spendingRows = [...new Set(budget.spending.map((line) => line.regimeCode))].map((code) =>
    h(
      'tr',
      {},
      h('th', {}, code),
      groups.map((group) => {
        const lines = budget.spending.filter((line) => line.regimeCode === code && line.group === group);
        return money(
          lines.reduce((sum, line) => sum + line.committed + line.paid, 0),
          `spending-${code}-${group}`,
        );
      }),
    ),
  );
  const section = h(
    'section',
    {},
    yearPicker(year, (next) => (location.hash = `#/budget/${next}`)),
    h('h1', { class: 'h4' }, `${t('budgetTitle')} ${year}`),
    h('div', { class: 'chart-box mb-3' }, canvas),
    table(
      [
        t('regime'),
        { label: t('allocated'), money: true },
        { label: t('committed'), money: true },
        { label: t('paid'), money: true },
        { label: t('remaining'), money: true },
        t('used'),
        t('alerts'),
      ],
      regimes.map((regime) =>
        h(
          'tr',
          { 'data-regime': regime.regimeCode },
          h('th', {}, regime.regimeCode),
          h('td', { class: 'money', 'data-testid': `allocated-${regime.regimeCode}` }, regime.allocated === null ? t('noAllocation') : vnd(regime.allocated)),
          money(regime.committed, `committed-${regime.regimeCode}`),
          money(regime.paid, `paid-${regime.regimeCode}`),
          money(regime.remaining, `remaining-${regime.regimeCode}`),
          h('td', {}, regime.usedPercent === null ? '—' : `${regime.usedPercent} %`),
          h(
            'td',
            {},
            regime.alerts.map((alert) =>
              h(
                'span',
                {
                  class: `badge me-1 ${alert.percent >= 100 ? 'text-bg-danger' : 'text-bg-warning'}`,
                  'data-testid': `alert-${regime.regimeCode}-${alert.percent}`,
                },
                `${alert.percent} %`,
              ),
            ),
          ),
        ),
      ),
      { id: 'budget-table' },
    ),
    h('h2', { class: 'h5 mt-4' }, t('spendingTitle')),
    table([t('regime'), ...groups.map((group) => ({ label: `${t('group')} ${group}`, money: true }))], spendingRows, { id: 'spending-table' }),
  );
  requestAnimationFrame(() => {
    state.charts.push(
      new window.Chart(canvas, {
        type: 'bar',
        data: {
          labels: regimes.map((regime) => regime.regimeCode),
          datasets: [
            { label: t('allocated'), data: regimes.map((regime) => regime.allocated ?? 0), backgroundColor: '#9ec5fe' },
            { label: t('committed'), data: regimes.map((regime) => regime.committed), backgroundColor: '#ffda6a' },
            { label: t('paid'), data: regimes.map((regime) => regime.paid), backgroundColor: '#198754' },
          ],
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          scales: { y: { ticks: { callback: (value) => vnd(value) } } },
          plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${vnd(item.raw)}` } } },
        },
      }),
    );
  });
  return section;
}

async function registerView() {
  const name = h('input', { class: 'form-control form-control-sm', placeholder: t('name'), name: 'name' });
  const results = h('div');
  const search = async () => {
    const found = await api(`/beneficiaries?limit=50${name.value ? `&name=${encodeURIComponent(name.value)}` : ''}`);
    results.replaceChildren(
      table(
        [t('name'), t('title'), t('unit'), t('group'), t('status')],
        found.items.map((person) =>
          h(
            'tr',
            {},
            h('td', {}, h('a', { href: `#/beneficiaries/${person.beneficiaryId}` }, nameOf(person.fullName))),
            h('td', {}, person.title),
            h('td', {}, person.administrativeUnit),
            h('td', {}, person.group),
            h('td', {}, person.status),
          ),
        ),
      ),
    );
  };
  await search();
  return h(
    'section',
    {},
    h('h1', { class: 'h4' }, t('register')),
    h(
      'form',
      {
        class: 'd-flex gap-2 mb-3',
        onsubmit: (event) => {
          event.preventDefault();
          void search();
        },
      },
      name,
      h('button', { class: 'btn btn-sm btn-primary' }, t('search')),
    ),
    results,
    importForm(search),
  );
}

/** A unit's Excel list: the template to fill in, and the import with its row-by-row report. */
function importForm(afterImport) {
  const file = h('input', { class: 'form-control form-control-sm', type: 'file', accept: '.xlsx', id: 'import-file' });
  const validOnly = h('input', { class: 'form-check-input', type: 'checkbox', id: 'import-valid-only' });
  const out = h('div', { id: 'import-result' });
  const template = async () => {
    const blob = await api('/beneficiaries/imports/template');
    const link = h('a', { href: URL.createObjectURL(blob), download: 'mau-danh-sach-doi-tuong.xlsx' });
    document.body.append(link);
    link.click();
    link.remove();
  };
  const send = async (event) => {
    event.preventDefault();
    if (!file.files[0]) return;
    const form = new FormData();
    form.append('file', file.files[0]);
    const response = await fetch(`/beneficiaries/imports${validOnly.checked ? '?validRowsOnly=true' : ''}`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${state.token}` },
    });
    const report = await response.json();
    if (!report.errors) return void out.replaceChildren(failure(new Error(report.message ?? response.status)));
    out.replaceChildren(
      h(
        'div',
        { class: `alert ${report.outcome === 'rejected' ? 'alert-warning' : 'alert-success'}`, 'data-testid': 'import-summary' },
        `${t(report.outcome === 'rejected' ? 'importRejected' : 'importDone')}: ${report.imported} / ${report.rows} · ${t('alreadyImported')}: ${report.alreadyImported}`,
      ),
      report.errors.length === 0
        ? ''
        : table(
            [t('row'), t('column'), t('problem')],
            report.errors.map((error) =>
              h('tr', {}, h('td', {}, error.row), h('td', {}, error.field), h('td', {}, state.language === 'vi' ? error.vi : error.en)),
            ),
          ),
    );
    if (report.imported > 0) await afterImport();
  };
  return h(
    'form',
    { class: 'card card-body mt-4', onsubmit: send },
    h('h2', { class: 'h5' }, t('importTitle')),
    h(
      'div',
      { class: 'd-flex gap-2 align-items-center flex-wrap' },
      h('button', { class: 'btn btn-outline-primary btn-sm', type: 'button', onclick: () => void template() }, t('template')),
      file,
      h('div', { class: 'form-check' }, validOnly, h('label', { class: 'form-check-label', for: 'import-valid-only' }, t('validRowsOnly'))),
      h('button', { class: 'btn btn-primary btn-sm', id: 'import-send' }, t('import')),
    ),
    out,
  );
}

async function beneficiaryView(id) {
  const [person, balances, payouts] = await Promise.all([
    api(`/beneficiaries/${id}`),
    api(`/beneficiaries/${id}/balances?year=2025`),
    api(`/payouts?beneficiaryId=${id}&limit=200`),
  ]);
  const facts = person.state;
  const { fullName } = person.history[0].data;
  const cards = fullName === null ? { cards: [] } : await api(`/cards?name=${encodeURIComponent(fullName)}&limit=20`);
  const groupChanges = person.history.filter((entry) => entry.type === 'BeneficiaryEnrolled' || entry.type === 'BeneficiaryReclassified');
  return h(
    'section',
    {},
    h('h1', { class: 'h4' }, nameOf(fullName)),
    h('p', {}, `${facts.title} — ${facts.administrativeUnit}`),
    h('h2', { class: 'h5' }, t('groupsOverTime')),
    table(
      [t('from'), t('group'), t('reason')],
      groupChanges.map((entry) => h('tr', {}, h('td', {}, date(entry.data.from)), h('td', {}, entry.data.group), h('td', {}, entry.data.reason ?? '—'))),
    ),
    h('h2', { class: 'h5' }, t('cards')),
    table(
      [t('cardNumber'), t('validFrom'), t('validTo'), t('status')],
      cards.cards
        .filter((card) => card.beneficiaryId === id)
        .map((card) => h('tr', {}, h('td', {}, card.cardNumber), h('td', {}, date(card.validFrom)), h('td', {}, date(card.validTo)), h('td', {}, card.status))),
    ),
    h('h2', { class: 'h5' }, `${t('balances')} 2025`),
    table(
      [
        t('regime'),
        { label: t('entitled'), money: true },
        { label: t('approved'), money: true },
        { label: t('paid'), money: true },
        { label: t('adjusted'), money: true },
        { label: t('annualCap'), money: true },
        { label: t('remainingCap'), money: true },
      ],
      balances.balances.map((balance) =>
        h(
          'tr',
          {},
          h('th', {}, balance.regimeId),
          money(balance.entitled),
          money(balance.approved),
          money(balance.paid),
          money(balance.adjusted),
          money(balance.annualCap),
          money(balance.remainingCap),
        ),
      ),
    ),
    h('h2', { class: 'h5' }, t('claims')),
    payoutTable(payouts.payouts),
  );
}

function payoutTable(payouts) {
  return table(
    [t('serviceDate'), t('regime'), t('group'), t('unit'), { label: t('amount'), money: true }, t('status'), ''],
    payouts.map((payout) =>
      h(
        'tr',
        {},
        h('td', {}, date(payout.serviceDate)),
        h('td', {}, payout.regimeId),
        h('td', {}, payout.group),
        h('td', {}, payout.administrativeUnit),
        money(payout.amount),
        h('td', {}, payout.status),
        h('td', {}, h('a', { href: `#/payouts/${payout.payoutId}`, 'data-testid': `lineage-${payout.payoutId}` }, t('lineage'))),
      ),
    ),
    { id: 'payouts-table' },
  );
}

async function payoutsView(year = '2025') {
  const found = await api(`/payouts?year=${year}&limit=100`);
  return h(
    'section',
    {},
    yearPicker(year, (next) => (location.hash = `#/payouts/year/${next}`)),
    h('h1', { class: 'h4' }, `${t('payoutsTitle')} ${year}`),
    payoutTable(found.payouts),
  );
}

/** Recoveries still owed after retroactive changes: finance collects them, an approver may write the rest off. */
async function recoveriesView(year = '2025') {
  const [owed, budget] = await Promise.all([api(`/payouts?year=${year}&status=owed&limit=100`), api(`/budget/${year}`)]);
  const totals = budget.regimes.filter((regime) => regime.recoveries.toRecover || regime.recoveries.recovered || regime.recoveries.writtenOff);
  return h(
    'section',
    {},
    yearPicker(year, (next) => (location.hash = `#/recoveries/${next}`)),
    h('h1', { class: 'h4' }, `${t('recoveriesTitle')} ${year}`),
    table(
      [t('regime'), { label: t('toRecover'), money: true }, { label: t('recovered'), money: true }, { label: t('writtenOff'), money: true }],
      totals.map((regime) =>
        h(
          'tr',
          {},
          h('th', {}, regime.regimeCode),
          money(regime.recoveries.toRecover, `to-recover-${regime.regimeCode}`),
          money(regime.recoveries.recovered),
          money(regime.recoveries.writtenOff),
        ),
      ),
      { id: 'recovery-totals' },
    ),
    h('h2', { class: 'h5 mt-4' }, t('stillOwed')),
    owed.payouts.length === 0
      ? h('p', { 'data-testid': 'nothing-owed' }, t('nothingOwed'))
      : table(
          [
            t('serviceDate'),
            t('regime'),
            t('beneficiary'),
            { label: t('amount'), money: true },
            { label: t('recovered'), money: true },
            { label: t('toRecover'), money: true },
            '',
          ],
          owed.payouts.map((payout) =>
            h(
              'tr',
              { 'data-payout': payout.payoutId },
              h('td', {}, date(payout.serviceDate)),
              h('td', {}, payout.regimeId),
              h('td', {}, h('a', { href: `#/beneficiaries/${payout.beneficiaryId}` }, payout.beneficiaryId)),
              money(-payout.amount),
              money(payout.recovered),
              money(-payout.amount - payout.recovered - payout.writtenOff, `owed-${payout.payoutId}`),
              h('td', {}, h('a', { href: `#/payouts/${payout.payoutId}` }, t('lineage'))),
            ),
          ),
          { id: 'owed-table' },
        ),
  );
}

async function lineageView(id) {
  const found = await api(`/payouts/${encodeURIComponent(id)}/lineage`);
  const payout = found.payout;
  return h(
    'section',
    {},
    h('h1', { class: 'h4' }, `${t('lineageTitle')} ${payout.payoutId}`),
    h('p', {}, `${t('regime')} ${payout.regimeId} · ${t('group')} ${payout.group} · ${vnd(payout.amount)} · ${payout.status}`),
    h(
      'ol',
      { class: 'timeline', id: 'lineage' },
      found.lineage.map((step) =>
        h(
          'li',
          { 'data-step': step.step },
          h('div', { class: 'fw-semibold' }, step.step),
          h('div', { class: 'small text-body-secondary' }, `${time(step.recordedAt)} · ${t('by')} ${step.actor}`),
        ),
      ),
    ),
  );
}

async function cardsView() {
  const number = h('input', { class: 'form-control form-control-sm', placeholder: t('cardNumber'), name: 'number' });
  const name = h('input', { class: 'form-control form-control-sm', placeholder: t('name'), name: 'name' });
  const results = h('div');
  const search = async () => {
    const query = new URLSearchParams({ limit: '50', ...(number.value ? { number: number.value } : {}), ...(name.value ? { name: name.value } : {}) });
    const found = await api(`/cards?${query}`);
    results.replaceChildren(
      table(
        [t('cardNumber'), t('name'), t('unit'), t('group'), t('validFrom'), t('validTo'), t('status')],
        found.cards.map((card) =>
          h(
            'tr',
            {},
            h('td', {}, card.cardNumber),
            h('td', {}, nameOf(card.fullName)),
            h('td', {}, card.administrativeUnit),
            h('td', {}, card.groupAtIssue ?? '—'),
            h('td', {}, date(card.validFrom)),
            h('td', {}, date(card.validTo)),
            h('td', {}, card.status),
          ),
        ),
        { id: 'cards-table' },
      ),
    );
  };
  await search();
  return h(
    'section',
    {},
    h('h1', { class: 'h4' }, t('nav.cards')),
    h(
      'form',
      {
        class: 'd-flex gap-2 mb-3',
        onsubmit: (event) => {
          event.preventDefault();
          void search();
        },
      },
      number,
      name,
      h('button', { class: 'btn btn-sm btn-primary' }, t('search')),
    ),
    results,
  );
}

async function reportView(year = '2025') {
  const report = await api(`/reports/year-end/${year}`);
  const download = (format) =>
    h(
      'button',
      {
        class: 'btn btn-outline-primary btn-sm',
        'data-testid': `download-${format}`,
        onclick: async () => {
          const blob = await api(`/reports/year-end/${year}?format=${format}`);
          const link = h('a', { href: URL.createObjectURL(blob), download: `bao-cao-nam-${year}.${format}` });
          document.body.append(link);
          link.click();
          link.remove();
        },
      },
      `${t('download')} ${format.toUpperCase()}`,
    );
  const byGroup = (counts) =>
    Object.entries(counts)
      .map(([group, count]) => `${t('group')} ${group}: ${count}`)
      .join(' · ');
  return h(
    'section',
    {},
    yearPicker(year, (next) => (location.hash = `#/report/${next}`)),
    h(
      'div',
      { class: 'd-flex gap-2 align-items-center mb-3' },
      h('h1', { class: 'h4 me-auto' }, `${t('reportTitle')} ${year}`),
      download('xlsx'),
      download('csv'),
    ),
    h('p', {}, `${t('beneficiariesByGroup')}: ${report.beneficiaries.total} (${byGroup(report.beneficiaries.byGroup)})`),
    h('p', {}, `${t('newCards')}: ${report.cards.newCards.total} · ${t('reissuedCards')}: ${report.cards.reissued.total}`),
    table(
      [t('regime'), '', t('people'), t('units'), { label: t('amount'), money: true }],
      report.regimes.map((regime) =>
        h(
          'tr',
          {},
          h('th', {}, regime.code),
          h('td', {}, regime.heading),
          h('td', {}, regime.people),
          h('td', {}, regime.units),
          money(regime.amount, `report-${regime.code}`),
        ),
      ),
      { id: 'report-table' },
    ),
    h('p', { class: 'fw-semibold' }, `${t('total')}: `, h('span', { 'data-testid': 'report-total' }, vnd(report.totalAmount))),
  );
}

/** Stays' and claims' changes in one table: the source, the regime, the group before and after, the money. */
function changesTable(preview) {
  const rows = [
    ...preview.changes.map((change) => ({ ...change, source: change.admissionId })),
    ...preview.claimChanges.map((change) => ({ ...change, source: change.claimId })),
  ].slice(0, 100);
  return table(
    [
      '',
      t('regime'),
      `${t('group')} (${t('before')} → ${t('after')})`,
      { label: t('before'), money: true },
      { label: t('after'), money: true },
      { label: t('difference'), money: true },
    ],
    rows.map((change) =>
      h(
        'tr',
        {},
        h('td', {}, change.source.slice(0, 8)),
        h('td', {}, change.regimeId),
        h('td', {}, `${change.previous.group} → ${change.next.group}`),
        money(change.previous.amount),
        money(change.next.amount),
        money(change.difference),
      ),
    ),
    { id: 'changes-table' },
  );
}

function jsonEditor(id, value) {
  return h('textarea', { class: 'form-control font-monospace', rows: 10, id }, JSON.stringify(value, null, 2));
}

async function retroactiveView() {
  const plan = jsonEditor('plan-json', {
    planId: 'lang-son-2025-07',
    title: 'Chính quyền địa phương hai cấp',
    decisionNumber: '759/QĐ-TTg',
    effectiveFrom: '2025-07-01',
    titles: [
      { title: 'Bí thư Huyện ủy', becomes: { title: 'Bí thư Đảng ủy xã', group: 3 } },
      { title: 'Chủ tịch UBND huyện', becomes: { title: 'Chủ tịch UBND xã', group: 5 } },
      { title: 'Trưởng phòng cấp huyện', becomes: { title: 'Trưởng phòng cấp xã', group: 6 } },
    ],
    units: {},
  });
  const planOut = h('div', { id: 'plan-result' });
  const planId = () => JSON.parse(plan.value).planId;
  const run = (out, action) => async () => {
    try {
      out.replaceChildren(await action());
    } catch (error) {
      out.replaceChildren(failure(error));
    }
  };
  const showPlanPreview = async () => {
    const preview = await api(`/reorganizations/${encodeURIComponent(planId())}/preview`);
    return h(
      'div',
      {},
      h(
        'p',
        { 'data-testid': 'plan-summary' },
        `${t('reclassified')}: ${preview.reclassified.length} · ${t('changes')}: ${preview.totals.changes} · ${t('difference')}: ${vnd(preview.totals.difference)}`,
      ),
      table(
        [t('name'), `${t('before')}`, `${t('after')}`],
        preview.reclassified
          .slice(0, 50)
          .map((person) =>
            h(
              'tr',
              {},
              h('td', {}, person.fullName),
              h('td', {}, `${person.before.title}, ${person.before.administrativeUnit}, ${t('group')} ${person.before.group}`),
              h('td', {}, `${person.after.title}, ${person.after.administrativeUnit}, ${t('group')} ${person.after.group}`),
            ),
          ),
      ),
      changesTable(preview),
    );
  };
  // A new version starts as a copy of the latest one, to be given its id, effective date and rates.
  const versions = await api('/policy-versions');
  const latest = versions[versions.length - 1] ?? {};
  const version = jsonEditor('policy-json', { ...latest, id: `${latest.id ?? 'policy'}-new`, effectiveFrom: latest.effectiveFrom });
  const policyOut = h('div', { id: 'policy-result' });
  // A version is drafted by one administrator, previewed by id, and confirmed by another.
  const draftPath = () => `/policy-versions/drafts/${encodeURIComponent(JSON.parse(version.value).id)}`;
  const showPolicyPreview = async () => {
    const preview = await api(`${draftPath()}/preview`);
    return h(
      'div',
      {},
      h(
        'p',
        { 'data-testid': 'policy-summary' },
        `${t('draftedBy')}: ${preview.draft.draftedBy} · ${t('changes')}: ${preview.totals.changes} · ${t('difference')}: ${vnd(preview.totals.difference)}`,
      ),
      changesTable(preview),
    );
  };
  return h(
    'section',
    {},
    h('h1', { class: 'h4' }, t('retroTitle')),
    h('h2', { class: 'h5' }, t('planTitle')),
    plan,
    h(
      'div',
      { class: 'd-flex gap-2 my-2' },
      h(
        'button',
        {
          class: 'btn btn-outline-primary btn-sm',
          id: 'plan-draft',
          onclick: run(planOut, async () => {
            await post('/reorganizations', JSON.parse(plan.value));
            return showPlanPreview();
          }),
        },
        t('draft'),
      ),
      h('button', { class: 'btn btn-outline-primary btn-sm', id: 'plan-preview', onclick: run(planOut, showPlanPreview) }, t('preview')),
      h(
        'button',
        {
          class: 'btn btn-danger btn-sm',
          id: 'plan-confirm',
          onclick: run(planOut, async () => {
            const done = await post(`/reorganizations/${encodeURIComponent(planId())}/confirmation`);
            return h(
              'div',
              { class: 'alert alert-success', 'data-testid': 'plan-done' },
              `${t('done')}: ${done.beneficiaries} ${t('reclassified').toLowerCase()}, ${done.adjustments} ${t('adjustments')}`,
            );
          }),
        },
        t('confirm'),
      ),
    ),
    planOut,
    h('h2', { class: 'h5 mt-4' }, t('policyTitle')),
    version,
    h(
      'div',
      { class: 'd-flex gap-2 my-2' },
      h(
        'button',
        {
          class: 'btn btn-outline-primary btn-sm',
          id: 'policy-draft',
          onclick: run(policyOut, async () => {
            await post('/policy-versions/drafts', JSON.parse(version.value));
            return showPolicyPreview();
          }),
        },
        t('draftPolicy'),
      ),
      h('button', { class: 'btn btn-outline-primary btn-sm', id: 'policy-preview', onclick: run(policyOut, showPolicyPreview) }, t('preview')),
      h(
        'button',
        {
          class: 'btn btn-danger btn-sm',
          id: 'policy-confirm',
          onclick: run(policyOut, async () => {
            const done = await post(`${draftPath()}/confirmation`);
            return h('div', { class: 'alert alert-success', 'data-testid': 'policy-done' }, `${t('done')}: ${done.adjustments} ${t('adjustments')}`);
          }),
        },
        t('confirm'),
      ),
    ),
    policyOut,
  );
}

async function loadUser() {
  state.user = state.token ? await api('/auth/me').catch(() => null) : null;
}

function signOut() {
  state.token = null;
  state.user = null;
  sessionStorage.removeItem('token');
  location.hash = '#/';
}

function chrome() {
  document.documentElement.lang = state.language;
  for (const element of document.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  document.getElementById('menu').hidden = !state.user;
  document.getElementById('sign-out').hidden = !state.user;
  document.getElementById('who').textContent = state.user ? state.user.username : '';
  for (const item of document.querySelectorAll('[data-role]')) item.hidden = !state.user?.roles.includes(item.dataset.role);
  for (const button of document.querySelectorAll('[data-language]')) button.classList.toggle('active', button.dataset.language === state.language);
}

const ROUTES = [
  [/^#\/budget(?:\/(\d{4}))?$/, (year) => budgetView(year)],
  [/^#\/beneficiaries$/, () => registerView()],
  [/^#\/beneficiaries\/([^/]+)$/, (id) => beneficiaryView(id)],
  [/^#\/payouts(?:\/year\/(\d{4}))?$/, (year) => payoutsView(year)],
  [/^#\/payouts\/([^/]+)$/, (id) => lineageView(decodeURIComponent(id))],
  [/^#\/cards$/, () => cardsView()],
  [/^#\/recoveries(?:\/(\d{4}))?$/, (year) => recoveriesView(year)],
  [/^#\/report(?:\/(\d{4}))?$/, (year) => reportView(year)],
  [/^#\/retroactive$/, () => retroactiveView()],
];

async function route() {
  chrome();
  for (const chart of state.charts.splice(0)) chart.destroy();
  if (!state.user) return view.replaceChildren(signInView());
  const hash = location.hash || '#/budget';
  const found = ROUTES.find(([pattern]) => pattern.test(hash));
  view.replaceChildren(h('div', { class: 'text-body-secondary' }, '…'));
  try {
    const [, show] = found ?? ROUTES[0];
    const match = (found ? found[0] : ROUTES[0][0]).exec(hash) ?? [];
    const content = await show(...match.slice(1));
    view.replaceChildren(content);
    view.dataset.ready = hash;
  } catch (error) {
    view.replaceChildren(failure(error));
  }
}

document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  route();
});
for (const button of document.querySelectorAll('[data-language]')) {
  button.addEventListener('click', () => {
    state.language = button.dataset.language;
    localStorage.setItem('language', state.language);
    route();
  });
}
window.addEventListener('hashchange', route);
await loadUser();
await route();
