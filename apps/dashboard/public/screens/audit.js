import { api, query } from '../lib/api.js';
import { h, heading, labelled, pager, table, toolbar } from '../lib/dom.js';
import { LANGUAGES } from '../i18n.js';
import { state, words } from '../lib/state.js';

/** The audit trail: who did what, when; by user, dates, action and beneficiary, the latest first. */

const PAGE = 50;
const CATEGORIES = [
  'administrative-units',
  'policy-catalog',
  'reorganization',
  'beneficiary',
  'admission',
  'annualcap',
  'nationalid',
  'payout',
  'budget',
  'claim',
  'card',
  'user',
];

/** What a stream is about, by its category (the part of its id before the record's own id). */
const categoryOf = (streamId) => CATEGORIES.find((category) => streamId === category || streamId.startsWith(`${category}-`)) ?? 'other';

/** Where the record an entry changed is shown: a payout's lineage, a stay, a beneficiary. */
function subjectLink(entry) {
  const category = categoryOf(entry.streamId);
  const id = encodeURIComponent(entry.streamId.slice(category.length + 1));
  const label = words.code('kind', category);
  if (category === 'payout') return h('a', { href: `#/payouts/${id}` }, `${label} · ${words.t('lineage')}`);
  if (category === 'admission') return h('a', { href: `#/admissions/${id}` }, label);
  if (entry.beneficiaryId) return h('a', { href: `#/beneficiaries/${encodeURIComponent(entry.beneficiaryId)}` }, label);
  return label;
}

export async function auditView() {
  const actor = h('input', { class: 'form-control form-control-sm', name: 'actor', type: 'search' });
  const from = h('input', { class: 'form-control form-control-sm', name: 'from', type: 'date' });
  const to = h('input', { class: 'form-control form-control-sm', name: 'to', type: 'date' });
  const actions = Object.entries(LANGUAGES[state.language].codes.event).filter(([action]) => action !== 'read');
  const action = h(
    'select',
    { class: 'form-select form-select-sm', name: 'action' },
    h('option', { value: '' }, '—'),
    actions.map(([value, label]) => h('option', { value }, label)),
  );
  const beneficiary = h('input', { class: 'form-control form-control-sm', name: 'beneficiaryId', type: 'search' });
  const results = h('div');
  const load = async (offset = 0) => {
    const page = await api(
      `/audit/trail?${query({ actor: actor.value.trim(), from: from.value, to: to.value, action: action.value, beneficiaryId: beneficiary.value.trim(), limit: PAGE, offset })}`,
    );
    results.replaceChildren(
      table(
        [words.t('when'), words.t('user'), words.t('roles'), words.t('action'), words.t('subject')],
        page.items.map((entry) =>
          h(
            'tr',
            { 'data-action': entry.action, 'data-stream': entry.streamId },
            h('td', { class: 'text-nowrap' }, words.time(entry.recordedAt)),
            h('td', {}, entry.actor),
            h('td', {}, (entry.roles ?? []).map((role) => words.code('role', role)).join(', ')),
            h('td', {}, words.has('event', entry.action) ? words.code('event', entry.action) : words.t('otherAction')),
            h('td', {}, subjectLink(entry)),
          ),
        ),
        { id: 'audit-table' },
      ),
      pager(page, (next) => void load(next)),
    );
  };
  await load();
  return h(
    'section',
    {},
    heading(words.t('auditTitle')),
    toolbar(
      () => void load(),
      labelled(words.t('user'), actor),
      labelled(words.t('dateFrom'), from),
      labelled(words.t('dateTo'), to),
      labelled(words.t('action'), action),
      labelled(words.t('beneficiary'), beneficiary),
      h('button', { class: 'btn btn-sm btn-primary', id: 'audit-filter' }, words.t('filter')),
    ),
    results,
  );
}
