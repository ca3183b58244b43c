import { api, query } from '../lib/api.js';
import { h, heading, labelled, table, toolbar } from '../lib/dom.js';
import { LANGUAGES } from '../i18n.js';
import { state, words } from '../lib/state.js';

/** The audit trail: who did what to stays, claims and payouts, when; by user, dates, action and beneficiary. */

const PAGE = 50;

export async function auditView() {
  const actor = h('input', { class: 'form-control form-control-sm', name: 'actor', type: 'search' });
  const from = h('input', { class: 'form-control form-control-sm', name: 'from', type: 'date' });
  const to = h('input', { class: 'form-control form-control-sm', name: 'to', type: 'date' });
  const steps = Object.entries(LANGUAGES[state.language].codes.event).filter(([step]) => step !== 'read');
  const step = h(
    'select',
    { class: 'form-select form-select-sm', name: 'step' },
    h('option', { value: '' }, '—'),
    steps.map(([value, label]) => h('option', { value }, label)),
  );
  const beneficiary = h('input', { class: 'form-control form-control-sm', name: 'beneficiaryId', type: 'search' });
  const results = h('div');
  let offset = 0;
  const load = async () => {
    const page = await api(
      `/audit/trail?${query({ actor: actor.value.trim(), from: from.value, to: to.value, step: step.value, beneficiaryId: beneficiary.value.trim(), limit: PAGE, offset })}`,
    );
    const pager = h(
      'nav',
      { class: 'd-flex gap-2 align-items-center', 'aria-label': words.t('page') },
      h(
        'button',
        { type: 'button', class: 'btn btn-sm btn-outline-primary', disabled: offset === 0, onclick: () => ((offset -= PAGE), void load()) },
        words.t('previous'),
      ),
      h(
        'span',
        { class: 'small' },
        `${words.num(Math.min(page.total, offset + 1))}–${words.num(Math.min(page.total, offset + PAGE))} / ${words.num(page.total)}`,
      ),
      h(
        'button',
        { type: 'button', class: 'btn btn-sm btn-outline-primary', disabled: offset + PAGE >= page.total, onclick: () => ((offset += PAGE), void load()) },
        words.t('next'),
      ),
    );
    results.replaceChildren(
      table(
        [words.t('when'), words.t('user'), words.t('action'), words.t('subject'), { label: words.t('amount'), money: true }],
        page.items.map((item) =>
          h(
            'tr',
            { 'data-step': item.step, 'data-subject': item.subjectId },
            h('td', { class: 'text-nowrap' }, words.time(item.recordedAt)),
            h('td', {}, item.actor),
            h('td', {}, words.code('event', item.step)),
            h(
              'td',
              {},
              item.subjectKind === 'payout'
                ? h('a', { href: `#/payouts/${encodeURIComponent(item.subjectId)}` }, `${words.code('kind', item.subjectKind)} · ${words.t('lineage')}`)
                : words.code('kind', item.subjectKind),
            ),
            h('td', { class: 'money' }, item.details?.amount === undefined ? '—' : words.vnd(item.details.amount)),
          ),
        ),
        { id: 'audit-table' },
      ),
      pager,
    );
  };
  await load();
  return h(
    'section',
    {},
    heading(words.t('auditTitle')),
    toolbar(
      () => ((offset = 0), void load()),
      labelled(words.t('user'), actor),
      labelled(words.t('dateFrom'), from),
      labelled(words.t('dateTo'), to),
      labelled(words.t('action'), step),
      labelled(words.t('beneficiary'), beneficiary),
      h('button', { class: 'btn btn-sm btn-primary', id: 'audit-filter' }, words.t('filter')),
    ),
    results,
  );
}
