import { api, post, query, readUntil } from '../lib/api.js';
import { regimeName } from '../lib/catalog.js';
import { alertBox, h, heading, labelled, table, toolbar } from '../lib/dom.js';
import { actionButton, commandForm, confirmDialog, panel, showRefusal } from '../lib/forms.js';
import { recorded, words } from '../lib/state.js';

/** "Chờ tôi duyệt": stays and claims that wait for my decision, each with how its amount was computed. */

export async function approvalsWaiting() {
  return (await api('/approvals/queue?limit=1')).total;
}

/** The lines of a stay's computation: visit allowance, then meal days by segment. */
function stayComputation(item) {
  const lines = [];
  if (item.visit) lines.push([regimeName('a'), item.visit.policyVersionId, item.visit.clause, words.vnd(item.visit.amount), '—', words.vnd(item.visit.amount)]);
  for (const segment of item.meals?.segments ?? [])
    lines.push([regimeName('b'), segment.policyVersionId, segment.clause, words.vnd(segment.rate), words.num(segment.days), words.vnd(segment.amount)]);
  return lines;
}

async function claimComputation(item) {
  const facts = item.facts;
  const asked = facts.cost ?? facts.outOfPocket;
  const year = item.serviceDate.slice(0, 4);
  // For a capped regime, what is left of the beneficiary's annual cap.
  const ledger = facts.items
    ? await api(`/beneficiaries/${encodeURIComponent(item.beneficiaryId)}/annual-ledgers/${encodeURIComponent(item.regimeId)}/${year}`).catch(() => undefined)
    : undefined;
  const capLeft = ledger?.state?.cap !== undefined ? ledger.state.cap - (ledger.state.used ?? 0) : undefined;
  return [
    [
      regimeName(item.regimeId),
      '—',
      '—',
      asked === undefined ? '—' : words.vnd(asked),
      facts.until ? words.date(facts.until) : '—',
      capLeft === undefined ? '—' : words.vnd(capLeft),
    ],
  ];
}

function decisionButtons(item, after, out) {
  const path = item.kind === 'admission' ? `/admissions/${encodeURIComponent(item.id)}` : `/claims/${encodeURIComponent(item.id)}`;
  const rows = () => [
    [words.t('kind'), words.code('kind', item.kind)],
    [words.t('regime'), item.kind === 'admission' ? `${regimeName('a')}, ${regimeName('b')}` : regimeName(item.regimeId)],
    [words.t('serviceDate'), words.date(item.serviceDate)],
    [words.t('group'), words.group(item.group)],
  ];
  const done = async () => {
    recorded();
    await after([item.id]);
  };
  return h(
    'div',
    { class: 'd-flex flex-wrap gap-2 mt-2' },
    actionButton({
      label: words.t('approve'),
      title: words.t('approve'),
      rows,
      out,
      act: async () => (await post(`${path}/approval`), await done()),
      attributes: { 'data-approve': item.id },
    }),
    item.kind === 'claim' && item.facts.items
      ? actionButton({ label: words.t('approvePart'), rows, out, act: async () => (await post(`${path}/partial-approval`), await done()) })
      : null,
    panel(
      words.t('reject'),
      commandForm({
        id: `reject-${item.id}`,
        title: words.t('reject'),
        danger: true,
        fields: [{ name: 'reason', label: words.t('reason') }],
        send: (values) => post(`${path}/rejection`, values),
        done,
      }),
    ),
  );
}

export async function approvalsView() {
  const kind = h(
    'select',
    { class: 'form-select form-select-sm', name: 'kind' },
    h('option', { value: '' }, '—'),
    ['admission', 'claim'].map((value) => h('option', { value }, words.code('kind', value))),
  );
  const group = h(
    'select',
    { class: 'form-select form-select-sm', name: 'group' },
    h('option', { value: '' }, '—'),
    [1, 2, 3, 4, 5, 6].map((value) => h('option', { value }, words.group(value))),
  );
  const list = h('div', { id: 'approval-queue' });
  const out = h('div', { 'aria-live': 'polite' });
  const chosen = new Set();
  const load = async (decided = []) => {
    const page = await readUntil(
      () => api(`/approvals/queue?${query({ kind: kind.value, group: group.value, limit: 100 })}`),
      (found) => !found.items.some((item) => decided.includes(item.id)),
    );
    chosen.clear();
    list.replaceChildren(
      h('p', { class: 'text-body-secondary', 'data-testid': 'queue-total' }, words.t('rowsN', { n: words.num(page.total) })),
      ...(page.items.length === 0
        ? [alertBox('info', words.t('queueEmpty'), { 'data-testid': 'queue-empty' })]
        : await Promise.all(
            page.items.map(async (item) => {
              const select =
                item.kind === 'claim'
                  ? h('input', {
                      type: 'checkbox',
                      class: 'form-check-input me-2',
                      'aria-label': words.t('select'),
                      onchange: (event) => (event.target.checked ? chosen.add(item.id) : chosen.delete(item.id)),
                    })
                  : null;
              const computation = item.kind === 'admission' ? stayComputation(item) : await claimComputation(item);
              return h(
                'article',
                { class: 'card mb-3 queue-item', 'data-item': item.id, 'data-kind': item.kind },
                h(
                  'div',
                  { class: 'card-body' },
                  h(
                    'h2',
                    { class: 'h6 card-title' },
                    select,
                    `${words.code('kind', item.kind)} · ${words.date(item.serviceDate)}${item.dischargedOn ? ` – ${words.date(item.dischargedOn)}` : ''} · ${words.group(item.group)}`,
                  ),
                  h(
                    'p',
                    { class: 'small mb-2' },
                    h(
                      'a',
                      { href: `#/beneficiaries/${encodeURIComponent(item.beneficiaryId)}` },
                      [item.title, item.administrativeUnit].filter(Boolean).join(' — ') || words.t('beneficiary'),
                    ),
                  ),
                  item.facts?.documents?.length ? h('p', { class: 'small mb-2' }, `${words.t('documents')}: ${item.facts.documents.join(', ')}`) : null,
                  h('h3', { class: 'h6 visually-hidden' }, words.t('computation')),
                  table(
                    item.kind === 'admission'
                      ? [
                          words.t('regime'),
                          words.t('policyVersion'),
                          words.t('clause'),
                          { label: words.t('rate'), money: true },
                          words.t('days'),
                          { label: words.t('amount'), money: true },
                        ]
                      : [
                          words.t('regime'),
                          words.t('policyVersion'),
                          words.t('clause'),
                          { label: words.t('requested'), money: true },
                          words.t('until'),
                          { label: words.t('capLeft'), money: true },
                        ],
                    computation.map((line) =>
                      h(
                        'tr',
                        {},
                        line.map((cell, index) => h('td', { class: index >= 3 ? 'money' : '' }, cell)),
                      ),
                    ),
                  ),
                  decisionButtons(item, load, out),
                ),
              );
            }),
          )),
    );
  };
  await load();
  const approveSelected = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-primary btn-sm',
      id: 'approve-selected',
      onclick: async () => {
        if (chosen.size === 0) return void out.replaceChildren(alertBox('warning', words.t('invalid.oneAtLeast')));
        if (!(await confirmDialog(words.t('approveSelected'), [[words.t('selectedN', { n: words.num(chosen.size) }), '']]))) return;
        try {
          const outcomes = await post('/claims/approvals', { claimIds: [...chosen] });
          const approved = outcomes.filter((outcome) => outcome.outcome === 'approved').length;
          recorded();
          await load(outcomes.filter((outcome) => outcome.outcome === 'approved').map((outcome) => outcome.claimId));
          out.replaceChildren(
            alertBox(
              approved === outcomes.length ? 'success' : 'warning',
              words.t('approvedN', { n: words.num(approved), m: words.num(outcomes.length - approved) }),
            ),
          );
        } catch (error) {
          showRefusal(error, out);
        }
      },
    },
    words.t('approveSelected'),
  );
  return h(
    'section',
    {},
    heading(words.t('approvalsTitle')),
    toolbar(
      () => void load(),
      labelled(words.t('kind'), kind),
      labelled(words.t('group'), group),
      h('button', { class: 'btn btn-sm btn-primary' }, words.t('filter')),
    ),
    out,
    list,
    approveSelected,
  );
}
