import { api, query } from '../lib/api.js';
import { alertBox, h, heading, labelled, pager, table, toolbar } from '../lib/dom.js';
import { words } from '../lib/state.js';

/** "Chờ cập nhật hồ sơ": stays still without a discharge and people without a valid card, each with where to record what is missing. */

const KINDS = ['open-stay', 'card-missing'];
const PAGE = 50;

export async function recordsView() {
  const kind = h(
    'select',
    { class: 'form-select form-select-sm', name: 'kind' },
    h('option', { value: '' }, '—'),
    KINDS.map((value) => h('option', { value }, words.code('kind', value))),
  );
  const unit = h('input', { class: 'form-control form-control-sm', name: 'unit', type: 'search' });
  const list = h('div', { id: 'records-queue' });
  let offset = 0;
  const load = async () => {
    const page = await api(`/work-queues/records?${query({ kind: kind.value, unit: unit.value.trim(), limit: PAGE, offset })}`);
    list.replaceChildren(
      pager(page, (next) => ((offset = next), void load())),
      page.items.length === 0
        ? alertBox('info', words.t('queueEmpty'), { 'data-testid': 'queue-empty' })
        : table(
            [words.t('kind'), words.t('name'), words.t('waitingSince'), words.t('unit'), ''],
            page.items.map((item) =>
              h(
                'tr',
                { 'data-item': item.id, 'data-kind': item.kind },
                h('td', {}, words.code('kind', item.kind)),
                h('td', {}, item.fullName ?? words.t('erased')),
                h('td', {}, words.date(item.since)),
                h('td', {}, item.administrativeUnit ?? '—'),
                h(
                  'td',
                  {},
                  item.kind === 'open-stay'
                    ? h('a', { href: `#/admissions/${encodeURIComponent(item.id)}` }, words.t('recordDischarge'))
                    : h('a', { href: `#/beneficiaries/${encodeURIComponent(item.beneficiaryId)}` }, words.t('issueCard')),
                ),
              ),
            ),
          ),
    );
  };
  await load();
  return h(
    'section',
    {},
    heading(words.t('recordsTitle')),
    toolbar(
      () => ((offset = 0), void load()),
      labelled(words.t('kind'), kind),
      labelled(words.t('unit'), unit),
      h('button', { class: 'btn btn-sm btn-primary' }, words.t('filter')),
    ),
    list,
  );
}
