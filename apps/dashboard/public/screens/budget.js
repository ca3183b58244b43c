import { api, post, readUntil } from '../lib/api.js';
import { regimeCodeName, versionInForce } from '../lib/catalog.js';
import { h, heading, money, table } from '../lib/dom.js';
import { commandForm, panel } from '../lib/forms.js';
import { hasRole, recorded, state, thisYear, words } from '../lib/state.js';
import { yearPicker } from './year-picker.js';

/** The allocation just recorded, which the screen waits to read before it shows the budget again. */
let allocated;

/** A regime's budget for the year, by a decision: what the 80 % and 100 % notices measure against. */
function allocationForm(year) {
  const codes = [...new Set((versionInForce()?.regimes ?? []).map((regime) => regime.code))];
  return panel(
    `${words.t('allocate')} ${year}`,
    commandForm({
      id: 'allocation-form',
      title: `${words.t('allocate')} ${year}`,
      fields: [
        { name: 'regimeCode', label: words.t('regime'), type: 'select', options: codes.map((code) => [code, regimeCodeName(code)]) },
        { name: 'amount', label: words.t('allocated'), type: 'vnd' },
        { name: 'decisionNumber', label: words.t('decisionNumber') },
      ],
      send: ({ regimeCode, ...values }) => post(`/budget/${year}/${encodeURIComponent(regimeCode)}`, values),
      done: (_, { regimeCode, amount }) => {
        allocated = { regimeCode, amount };
        recorded();
        // The screen is read again with the allocation in it.
        const here = `#/budget/${year}`;
        if (location.hash === here) window.dispatchEvent(new HashChangeEvent('hashchange'));
        else location.hash = here;
      },
    }),
    { 'data-action': 'allocate', class: 'card action-panel my-3' },
  );
}

export async function budgetView(year = thisYear()) {
  const expected = allocated;
  allocated = undefined;
  const budget = await readUntil(
    () => api(`/budget/${year}`),
    (found) => !expected || found.regimes.some((regime) => regime.regimeCode === expected.regimeCode && regime.allocated === expected.amount),
  );
  if (year === thisYear()) document.dispatchEvent(new CustomEvent('budget-read', { detail: budget }));
  const regimes = budget.regimes;
  const canvas = h('canvas', { 'aria-label': words.t('budgetTitle'), role: 'img' });
  const groups = [...new Set(budget.spending.map((line) => line.group))].sort((a, b) => a - b);
  const spendingRows = [...new Set(budget.spending.map((line) => line.regimeCode))].map((code) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, regimeCodeName(code)),
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
    heading(`${words.t('budgetTitle')} ${year}`),
    h('div', { class: 'chart-box mb-3' }, canvas),
    table(
      [
        { label: words.t('regime'), wide: true },
        { label: words.t('allocated'), money: true },
        { label: words.t('committed'), money: true },
        { label: words.t('paid'), money: true },
        { label: words.t('remaining'), money: true },
        words.t('used'),
        words.t('alerts'),
      ],
      regimes.map((regime) =>
        h(
          'tr',
          { 'data-regime': regime.regimeCode },
          h('th', { scope: 'row' }, regimeCodeName(regime.regimeCode)),
          h(
            'td',
            { class: 'money', 'data-testid': `allocated-${regime.regimeCode}` },
            regime.allocated === null ? words.t('noAllocation') : words.vnd(regime.allocated),
          ),
          money(regime.committed, `committed-${regime.regimeCode}`),
          money(regime.paid, `paid-${regime.regimeCode}`),
          money(regime.remaining, `remaining-${regime.regimeCode}`),
          h('td', { class: 'text-nowrap' }, words.percent(regime.usedPercent)),
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
                words.percent(alert.percent),
              ),
            ),
          ),
        ),
      ),
      { id: 'budget-table' },
    ),
    hasRole('finance', 'administrator') ? allocationForm(year) : null,
    h('h2', { class: 'h5 mt-4' }, words.t('spendingTitle')),
    table([{ label: words.t('regime'), wide: true }, ...groups.map((group) => ({ label: words.group(group), money: true }))], spendingRows, {
      id: 'spending-table',
    }),
  );
  requestAnimationFrame(() => {
    state.charts.push(
      new window.Chart(canvas, {
        type: 'bar',
        data: {
          labels: regimes.map((regime) => regime.regimeCode),
          datasets: [
            { label: words.t('allocated'), data: regimes.map((regime) => regime.allocated ?? 0), backgroundColor: '#9ec5fe' },
            { label: words.t('committed'), data: regimes.map((regime) => regime.committed), backgroundColor: '#ffda6a' },
            { label: words.t('paid'), data: regimes.map((regime) => regime.paid), backgroundColor: '#198754' },
          ],
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          scales: { y: { ticks: { callback: (value) => words.vnd(value) } } },
          plugins: {
            tooltip: {
              callbacks: { title: (items) => regimeCodeName(items[0].label), label: (item) => `${item.dataset.label}: ${words.vnd(item.raw)}` },
            },
          },
        },
      }),
    );
  });
  return section;
}
