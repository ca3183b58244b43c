import { api, post, query, readUntil } from '../lib/api.js';
import { clauseText, regimeCodeName, regimeName } from '../lib/catalog.js';
import { badge, fill, h, heading, money, table } from '../lib/dom.js';
import { commandForm, panel } from '../lib/forms.js';
import { hasRole, recorded, thisYear, today, words } from '../lib/state.js';
import { yearPicker } from './year-picker.js';

/** The payout history, a payout's lineage as a timeline, and the recoveries still owed. */

export function payoutTable(payouts) {
  return table(
    [
      words.t('serviceDate'),
      { label: words.t('regime'), wide: true },
      words.t('group'),
      words.t('unit'),
      { label: words.t('amount'), money: true },
      words.t('status'),
      '',
    ],
    payouts.map((payout) =>
      h(
        'tr',
        {},
        h('td', {}, words.date(payout.serviceDate)),
        h('td', {}, regimeName(payout.regimeId)),
        h('td', { class: 'text-nowrap' }, words.group(payout.group)),
        h('td', {}, payout.administrativeUnit),
        money(payout.amount),
        h('td', {}, badge(payout.status)),
        h('td', {}, h('a', { href: `#/payouts/${encodeURIComponent(payout.payoutId)}`, 'data-testid': `lineage-${payout.payoutId}` }, words.t('lineage'))),
      ),
    ),
    { id: 'payouts-table' },
  );
}

export async function payoutsView(year = thisYear()) {
  const found = await api(`/payouts?${query({ year, limit: 100 })}`);
  return h(
    'section',
    {},
    yearPicker(year, (next) => (location.hash = `#/payouts/year/${next}`)),
    heading(`${words.t('payoutsTitle')} ${year}`),
    payoutTable(found.payouts),
  );
}

export async function recoveriesView(year = thisYear()) {
  const [owed, budget] = await Promise.all([api(`/payouts?${query({ year, status: 'owed', limit: 100 })}`), api(`/budget/${year}`)]);
  const totals = budget.regimes.filter((regime) => regime.recoveries.toRecover || regime.recoveries.recovered || regime.recoveries.writtenOff);
  return h(
    'section',
    {},
    yearPicker(year, (next) => (location.hash = `#/recoveries/${next}`)),
    heading(`${words.t('recoveriesTitle')} ${year}`),
    table(
      [
        { label: words.t('regime'), wide: true },
        { label: words.t('toRecover'), money: true },
        { label: words.t('recovered'), money: true },
        { label: words.t('writtenOff'), money: true },
      ],
      totals.map((regime) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, regimeCodeName(regime.regimeCode)),
          money(regime.recoveries.toRecover, `to-recover-${regime.regimeCode}`),
          money(regime.recoveries.recovered),
          money(regime.recoveries.writtenOff),
        ),
      ),
      { id: 'recovery-totals' },
    ),
    h('h2', { class: 'h5 mt-4' }, words.t('stillOwed')),
    owed.payouts.length === 0
      ? h('p', { 'data-testid': 'nothing-owed' }, words.t('nothingOwed'))
      : table(
          [
            words.t('serviceDate'),
            { label: words.t('regime'), wide: true },
            words.t('beneficiary'),
            { label: words.t('amount'), money: true },
            { label: words.t('recovered'), money: true },
            { label: words.t('toRecover'), money: true },
            '',
          ],
          owed.payouts.map((payout) =>
            h(
              'tr',
              { 'data-payout': payout.payoutId },
              h('td', {}, words.date(payout.serviceDate)),
              h('td', {}, regimeName(payout.regimeId)),
              h('td', {}, h('a', { href: `#/beneficiaries/${encodeURIComponent(payout.beneficiaryId)}` }, words.t('open'))),
              money(-payout.amount),
              money(payout.recovered),
              money(-payout.amount - payout.recovered - payout.writtenOff, `owed-${payout.payoutId}`),
              h('td', {}, h('a', { href: `#/payouts/${encodeURIComponent(payout.payoutId)}` }, words.t('lineage'))),
            ),
          ),
          { id: 'owed-table' },
        ),
  );
}

/** What a step recorded that an auditor looks for: amounts, dates, references, reasons, the policy and clause. */
function stepDetails(details) {
  if (!details) return null;
  const facts = [
    details.amount !== undefined ? `${words.t('amount')}: ${words.vnd(details.amount)}` : null,
    details.reference ? `${words.t('paymentReference')}: ${details.reference}` : null,
    details.paidOn ? `${words.t('paidOn')}: ${words.date(details.paidOn)}` : null,
    details.serviceDate ? `${words.t('serviceDate')}: ${words.date(details.serviceDate)}` : null,
    details.admittedOn ? `${words.t('admittedOn')}: ${words.date(details.admittedOn)}` : null,
    details.dischargedOn ? `${words.t('dischargedOn')}: ${words.date(details.dischargedOn)}` : null,
    details.policyVersionId ? `${words.t('policyVersion')}: ${details.policyVersionId}` : null,
    details.reason ? `${words.t('reason')}: ${details.reason}` : null,
  ].filter(Boolean);
  return facts.length ? h('div', { class: 'small' }, facts.join(' · ')) : null;
}

export async function lineageView(id) {
  const body = h('section');
  /** `reversed`: read until the reversal just recorded shows. */
  const load = async (reversed = false) => {
    const found = await readUntil(
      () => api(`/payouts/${encodeURIComponent(id)}/lineage`),
      (answer) => !reversed || answer.payout.status === 'reversed',
    );
    const payout = found.payout;
    fill(
      body,
      heading(words.t('lineageTitle')),
      h(
        'p',
        { class: 'd-flex flex-wrap gap-2 align-items-center' },
        h('span', {}, `${regimeName(payout.regimeId)} · ${words.group(payout.group)} · ${words.date(payout.serviceDate)} · ${words.vnd(payout.amount)}`),
        badge(payout.status),
        h('a', { href: `#/beneficiaries/${encodeURIComponent(payout.beneficiaryId)}` }, words.t('beneficiary')),
      ),
      payout.clause
        ? h(
            'p',
            { class: 'small text-body-secondary' },
            `${words.t('policyVersion')}: ${payout.policyVersionId} · ${words.t('clause')}: ${clauseText(payout.clause)}`,
          )
        : null,
      h(
        'ol',
        { class: 'timeline', id: 'lineage' },
        found.lineage.map((step) =>
          h(
            'li',
            { 'data-step': step.step },
            h('div', { class: 'fw-semibold' }, words.code('event', step.step)),
            h('div', { class: 'small text-body-secondary' }, `${words.time(step.recordedAt)} · ${words.t('by')} ${step.actor}`),
            stepDetails(step.details),
          ),
        ),
      ),
      hasRole('finance') && payout.status === 'paid'
        ? panel(
            words.t('reverse'),
            commandForm({
              id: 'reverse-form',
              title: words.t('reverse'),
              danger: true,
              fields: [
                { name: 'on', label: words.t('reversedOn'), type: 'date', value: today() },
                { name: 'reason', label: words.t('reason') },
              ],
              // The dialog names the payment reversed, not only the date and the reason.
              describe: (values) => [
                [words.t('regime'), regimeName(payout.regimeId)],
                [words.t('amount'), words.vnd(payout.amount)],
                [words.t('reversedOn'), words.date(values.on)],
                [words.t('reason'), values.reason],
              ],
              send: (values) => post(`/payouts/${encodeURIComponent(payout.payoutId)}/reversal`, values),
              // Reversed, the payout's timeline is drawn afresh with the reversal, and the form is gone.
              done: async () => {
                recorded();
                await load(true);
              },
            }),
          )
        : null,
    );
  };
  await load();
  return body;
}
