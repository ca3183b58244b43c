import { api, post, query, readUntil } from '../lib/api.js';
import { regimeName } from '../lib/catalog.js';
import { alertBox, h, heading, money, saveFile, table } from '../lib/dom.js';
import { commandForm, panel } from '../lib/forms.js';
import { recorded, today, words } from '../lib/state.js';

/** Finance's queue: approved payouts to pay, one or a batch under one payment reference; recoveries to collect. */

const MAX_QUEUE = 500;

/** Pays each chosen payout under the reference, one command each; the outcome of every one is shown. */
async function payAll(payouts, values) {
  const outcomes = [];
  for (const payout of payouts) {
    try {
      await post(`/payouts/${encodeURIComponent(payout.payoutId)}/payment`, values);
      outcomes.push({ payout, paid: true });
    } catch (error) {
      outcomes.push({ payout, paid: false, error });
    }
  }
  return outcomes;
}

function batchForm(chosen, after) {
  return commandForm({
    id: 'pay-form',
    title: words.t('paySelected'),
    fields: [
      { name: 'reference', label: words.t('paymentReference') },
      { name: 'paidOn', label: words.t('paidOn'), type: 'date', value: today() },
    ],
    describe: (values) => {
      const payouts = chosen();
      return [
        [words.t('paymentReference'), values.reference],
        [words.t('paidOn'), words.date(values.paidOn)],
        [words.t('selectedN', { n: words.num(payouts.length) }), words.vnd(payouts.reduce((sum, payout) => sum + payout.due, 0))],
      ];
    },
    send: (values) => payAll(chosen(), values),
    done: async (outcomes, values) => {
      const paid = outcomes.filter((outcome) => outcome.paid);
      recorded();
      await after(paid.map((outcome) => outcome.payout.payoutId));
      const refused = outcomes.filter((outcome) => !outcome.paid);
      return h(
        'div',
        {},
        alertBox(
          refused.length ? 'warning' : 'success',
          words.t('paidN', { n: words.num(paid.length), amount: words.vnd(paid.reduce((sum, one) => sum + one.payout.due, 0)) }),
          {
            'data-testid': 'batch-paid',
            'data-reference': values.reference,
          },
        ),
        refused.map((one) =>
          alertBox('danger', `${regimeName(one.payout.regimeId)}, ${words.date(one.payout.serviceDate)}: ${one.error.said ?? one.error.message}`),
        ),
        paid.length
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn btn-outline-primary btn-sm',
                'data-testid': 'payment-list',
                onclick: async () =>
                  saveFile(
                    await api(`/payment-lists/${encodeURIComponent(values.reference)}`),
                    `danh-sach-chi-tra-${values.reference.replace(/[^A-Za-z0-9.-]+/g, '-')}.pdf`,
                  ),
              },
              words.t('paymentList'),
            )
          : null,
      );
    },
  });
}

export async function financeView() {
  const queue = h('div');
  const collect = h('div');
  let scheduled = [];
  const boxes = new Map();
  const chosen = () => scheduled.filter((payout) => boxes.get(payout.payoutId)?.checked);
  /** `done`: payouts just paid, `refunded`: a recovery just refunded; both read until the queues no longer show them as they were. */
  const load = async (done = [], refunded) => {
    const [waiting, owed] = await Promise.all([
      readUntil(
        () => api(`/work-queues/payments?${query({ kind: 'payout', limit: MAX_QUEUE })}`),
        (found) => !found.items.some((payout) => done.includes(payout.payoutId)),
      ),
      readUntil(
        () => api(`/work-queues/payments?${query({ kind: 'recovery', limit: MAX_QUEUE })}`),
        (found) => !found.items.some((payout) => payout.payoutId === refunded?.payoutId && payout.due === refunded.due),
      ),
    ]);
    scheduled = waiting.items;
    boxes.clear();
    const all = h('input', {
      type: 'checkbox',
      class: 'form-check-input',
      id: 'select-all-payouts',
      'aria-label': words.t('select'),
      onchange: (event) => boxes.forEach((box) => (box.checked = event.target.checked)),
    });
    queue.replaceChildren(
      scheduled.length === 0
        ? h('p', { 'data-testid': 'queue-empty' }, words.t('queueEmpty'))
        : table(
            [
              h('span', {}, all),
              words.t('serviceDate'),
              words.t('beneficiary'),
              { label: words.t('regime'), wide: true },
              words.t('group'),
              words.t('unit'),
              { label: words.t('amount'), money: true },
            ],
            scheduled.map((payout) => {
              const box = h('input', {
                type: 'checkbox',
                class: 'form-check-input',
                'aria-label': `${words.t('select')} ${regimeName(payout.regimeId)} ${words.date(payout.serviceDate)}`,
                'data-payout': payout.payoutId,
              });
              boxes.set(payout.payoutId, box);
              return h(
                'tr',
                {},
                h('td', {}, box),
                h('td', {}, words.date(payout.serviceDate)),
                h('td', {}, payout.fullName ?? payout.payee),
                h('td', {}, h('a', { href: `#/payouts/${encodeURIComponent(payout.payoutId)}` }, regimeName(payout.regimeId))),
                h('td', { class: 'text-nowrap' }, words.group(payout.group)),
                h('td', {}, payout.administrativeUnit),
                money(payout.due),
              );
            }),
            { id: 'finance-queue' },
          ),
    );
    collect.replaceChildren(
      owed.items.length === 0
        ? h('p', {}, words.t('nothingOwed'))
        : table(
            [words.t('serviceDate'), words.t('beneficiary'), words.t('regime'), { label: words.t('toRecover'), money: true }, words.t('actions')],
            owed.items.map((payout) =>
              h(
                'tr',
                {},
                h('td', {}, words.date(payout.serviceDate)),
                h('td', {}, payout.fullName ?? payout.payee),
                h('td', {}, regimeName(payout.regimeId)),
                money(payout.due),
                h(
                  'td',
                  {},
                  panel(
                    words.t('refund'),
                    commandForm({
                      id: `refund-${payout.payoutId}`,
                      // The dialog says whose recovery, under which regime, and what is owed on it.
                      title: `${words.t('refund')}: ${payout.fullName ?? payout.payee} · ${regimeName(payout.regimeId)} · ${words.t('toRecover')} ${words.vnd(payout.due)}`,
                      fields: [
                        { name: 'reference', label: words.t('receiptReference') },
                        { name: 'receivedOn', label: words.t('receivedOn'), type: 'date', value: today() },
                        { name: 'amount', label: words.t('amount'), type: 'vnd', required: false },
                      ],
                      send: (values) => post(`/payouts/${encodeURIComponent(payout.payoutId)}/refund`, values),
                      done: async () => {
                        recorded();
                        await load([], payout);
                      },
                    }),
                  ),
                ),
              ),
            ),
            { id: 'collect-table' },
          ),
    );
  };
  await load();
  return h(
    'section',
    {},
    heading(words.t('financeTitle')),
    queue,
    scheduled.length ? h('div', { class: 'card card-body mt-3' }, h('h2', { class: 'h5' }, words.t('paySelected')), batchForm(chosen, load)) : null,
    h('h2', { class: 'h5 mt-4' }, words.t('stillOwed')),
    collect,
  );
}
