import { api } from '../lib/api.js';
import { regimeCodeName } from '../lib/catalog.js';
import { h, money, saveFile, table } from '../lib/dom.js';
import { thisYear, words } from '../lib/state.js';
import { yearPicker } from './year-picker.js';

export async function reportView(year = thisYear()) {
  const report = await api(`/reports/year-end/${year}`);
  const download = (format) =>
    h(
      'button',
      {
        class: 'btn btn-outline-primary btn-sm',
        'data-testid': `download-${format}`,
        onclick: async () => saveFile(await api(`/reports/year-end/${year}?format=${format}`), `bao-cao-nam-${year}.${format}`),
      },
      `${words.t('download')} ${format.toUpperCase()}`,
    );
  const byGroup = (counts) =>
    Object.entries(counts)
      .map(([group, count]) => `${group === 'unknown' ? words.t('unknownGroup') : words.group(group)}: ${words.num(count)}`)
      .join(' · ');
  return h(
    'section',
    {},
    yearPicker(year, (next) => (location.hash = `#/report/${next}`)),
    h(
      'div',
      { class: 'd-flex gap-2 align-items-center flex-wrap mb-3' },
      h('h1', { class: 'h4 me-auto' }, `${words.t('reportTitle')} ${year}`),
      download('xlsx'),
      download('csv'),
    ),
    h('p', {}, `${words.t('beneficiariesByGroup')}: ${words.num(report.beneficiaries.total)} (${byGroup(report.beneficiaries.byGroup)})`),
    h('p', {}, `${words.t('newCards')}: ${words.num(report.cards.newCards.total)} · ${words.t('reissuedCards')}: ${words.num(report.cards.reissued.total)}`),
    table(
      [
        { label: words.t('regime'), wide: true },
        { label: words.t('people'), money: true },
        { label: words.t('units'), money: true },
        { label: words.t('amount'), money: true },
      ],
      report.regimes.map((regime) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, regimeCodeName(regime.code)),
          h('td', { class: 'money' }, words.num(regime.people)),
          h('td', { class: 'money' }, words.num(regime.units)),
          money(regime.amount, `report-${regime.code}`),
        ),
      ),
      { id: 'report-table' },
    ),
    h('p', { class: 'fw-semibold' }, `${words.t('total')}: `, h('span', { 'data-testid': 'report-total' }, words.vnd(report.totalAmount))),
  );
}
