import { api, post, query, readUntil } from '../lib/api.js';
import { clauseText, hasAnnualCap, regimeCodeName, regimeName } from '../lib/catalog.js';
import { alertBox, h, heading, labelled, pager, table, toolbar } from '../lib/dom.js';
import { actionButton, commandForm, confirmDialog, panel, showRefusal } from '../lib/forms.js';
import { recorded, words } from '../lib/state.js';

/** "Chờ tôi duyệt": stays and claims that wait for my decision, each with how its amount was computed. */

const KINDS = ['admission', 'claim', 'over-cap-confirmation', 'adjustment'];
const PAGE = 50;

/** A stay's computation: the visit allowance, then the meal days by segment (policy version, clause, rate, days). */
function stayComputation(computation) {
  const rows = [];
  if (computation.visit) {
    const visit = computation.visit;
    rows.push([regimeName('a'), visit.policyVersionId, clauseText(visit.clause), words.vnd(visit.amount), '—', words.vnd(visit.amount)]);
  }
  for (const segment of computation.meals?.segments ?? [])
    rows.push([
      regimeName('b'),
      segment.policyVersionId,
      clauseText(segment.clause),
      words.vnd(segment.rate),
      words.num(segment.days),
      words.vnd(segment.amount),
    ]);
  return table(
    [
      { label: words.t('regime'), wide: true },
      words.t('policyVersion'),
      { label: words.t('clause'), wide: true },
      { label: words.t('rate'), money: true },
      words.t('days'),
      { label: words.t('amount'), money: true },
    ],
    rows.map((cells) =>
      h(
        'tr',
        {},
        cells.map((cell, index) => h('td', { class: index >= 3 ? 'money' : '' }, cell)),
      ),
    ),
  );
}

/** A claim's facts as asked, and what is left of the annual cap; its amount is computed at approval. */
function claimComputation(item) {
  const claim = item.claim;
  const asked = claim.cost ?? claim.outOfPocket;
  const rows = [
    [words.t('regime'), regimeName(item.regimeId)],
    [words.t('requested'), asked === null ? '—' : words.vnd(asked)],
    claim.until ? [words.t('until'), `${words.date(claim.until)} (${words.num(claim.days)} ${words.t('days').toLowerCase()})`] : null,
    claim.councilDecisionNumber ? [words.t('councilDecisionNumber'), claim.councilDecisionNumber] : null,
    claim.annualCap ? [words.t('annualCap'), words.vnd(claim.annualCap.cap)] : null,
    claim.annualCap ? [words.t('capLeft'), words.vnd(claim.annualCap.left)] : null,
    claim.documents.length ? [words.t('documents'), claim.documents.join(', ')] : null,
    claim.deliberateReason ? [words.t('deliberateReason'), claim.deliberateReason] : null,
    claim.overCapProposal ? [words.t('proposedBy'), `${claim.overCapProposal.by}: ${claim.overCapProposal.reason}`] : null,
  ].filter(Boolean);
  return h(
    'dl',
    { class: 'confirm-rows small mb-2' },
    rows.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
  );
}

/** A stay's or a claim's adjustments awaiting approval: what changed them, and each one's amount and group before and after. */
function adjustmentsComputation(item) {
  return table(
    [
      { label: words.t('regime'), wide: true },
      words.t('cause'),
      `${words.t('group')} (${words.t('before')} → ${words.t('after')})`,
      { label: words.t('before'), money: true },
      { label: words.t('after'), money: true },
      { label: words.t('difference'), money: true },
    ],
    item.adjustments.map((adjustment) =>
      h(
        'tr',
        {},
        h('td', {}, regimeName(adjustment.regimeId)),
        h('td', {}, words.code('kind', adjustment.causeKind)),
        h('td', { class: 'text-nowrap' }, `${words.group(adjustment.previousGroup)} → ${words.group(adjustment.nextGroup)}`),
        h('td', { class: 'money' }, words.vnd(adjustment.previousAmount)),
        h('td', { class: 'money' }, words.vnd(adjustment.nextAmount)),
        h('td', { class: 'money' }, words.vnd(adjustment.difference)),
      ),
    ),
  );
}

function decisionButtons(item, after, out) {
  const source = (item.kind === 'adjustment' ? item.sourceKind : item.kind) === 'admission' ? 'admissions' : 'claims';
  const path = `/${source}/${encodeURIComponent(item.id)}`;
  const rows = () => [
    [words.t('kind'), words.code('kind', item.kind)],
    [words.t('beneficiary'), item.fullName ?? '—'],
    // A claim's regime by its id; a stay's or adjustments' by the resolution's letters (a regime id is not a letter: h.fixed).
    [words.t('regime'), item.regimeId ? regimeName(item.regimeId) : item.regimeCodes.map((code) => regimeCodeName(code)).join(', ')],
    [words.t('serviceDate'), words.date(item.serviceDate)],
    [words.t('amount'), item.amount === null ? '—' : words.vnd(item.amount)],
  ];
  const done = async () => {
    recorded();
    await after([item.id]);
  };
  const decide = (label, action, attributes = {}) =>
    actionButton({ label, rows, out, act: async () => (await post(`${path}/${action}`), await done()), attributes });
  const withReason = (label, action, danger) =>
    panel(
      label,
      commandForm({
        id: `${action}-${item.id}`,
        title: label,
        danger,
        fields: [{ name: 'reason', label: words.t('reason') }],
        // The dialog names the item decided on, not the reason alone.
        describe: (values) => [...rows(), [words.t('reason'), values.reason]],
        send: (values) => post(`${path}/${action}`, values),
        done,
      }),
    );
  // The cap's balance exists once something was approved under it this year; before that the regime's rule says it is capped.
  const capped = Boolean(item.claim?.annualCap) || (item.kind === 'claim' && hasAnnualCap(item.regimeId));
  // Adjustments are approved together, or wait: there is nothing to reject in what a retroactive change recomputed.
  if (item.kind === 'adjustment') return h('div', { class: 'mt-2' }, decide(words.t('approve'), 'adjustments/approval', { 'data-approve': item.id }));
  if (item.kind === 'over-cap-confirmation')
    return h(
      'div',
      { class: 'mt-2' },
      decide(words.t('confirmOverCap'), 'over-cap-confirmation', { 'data-approve': item.id }),
      withReason(words.t('reject'), 'rejection', true),
    );
  return h(
    'div',
    { class: 'mt-2' },
    h(
      'div',
      { class: 'd-flex flex-wrap gap-2 mb-2' },
      decide(words.t('approve'), 'approval', { 'data-approve': item.id }),
      capped ? decide(words.t('approvePart'), 'partial-approval') : null,
    ),
    capped ? withReason(words.t('proposeOverCap'), 'over-cap-proposal', false) : null,
    withReason(words.t('reject'), 'rejection', true),
  );
}

export async function approvalsView() {
  const kind = h(
    'select',
    { class: 'form-select form-select-sm', name: 'kind' },
    h('option', { value: '' }, '—'),
    KINDS.map((value) => h('option', { value }, words.code('kind', value))),
  );
  const group = h(
    'select',
    { class: 'form-select form-select-sm', name: 'group' },
    h('option', { value: '' }, '—'),
    [1, 2, 3, 4, 5, 6].map((value) => h('option', { value }, words.group(value))),
  );
  const unit = h('input', { class: 'form-control form-control-sm', name: 'unit', type: 'search' });
  const list = h('div', { id: 'approval-queue' });
  const out = h('div', { 'aria-live': 'polite' });
  /** The claims ticked for approval at once, by id, as the queue showed them. */
  const chosen = new Map();
  let offset = 0;
  const load = async (decided = []) => {
    const page = await readUntil(
      () => api(`/work-queues/approvals?${query({ kind: kind.value, group: group.value, unit: unit.value.trim(), limit: PAGE, offset })}`),
      (found) => !found.items.some((item) => decided.includes(item.id)),
    );
    chosen.clear();
    list.replaceChildren(
      pager(page, (next) => ((offset = next), void load())),
      ...(page.items.length === 0
        ? [alertBox('info', words.t('queueEmpty'), { 'data-testid': 'queue-empty' })]
        : page.items.map((item) =>
            h(
              'article',
              { class: 'card mb-3 queue-item', 'data-item': item.id, 'data-kind': item.kind },
              h(
                'div',
                { class: 'card-body' },
                h(
                  'h2',
                  { class: 'h6 card-title' },
                  item.kind === 'claim'
                    ? h('input', {
                        type: 'checkbox',
                        class: 'form-check-input me-2',
                        'aria-label': `${words.t('select')}: ${item.fullName ?? ''} ${words.date(item.serviceDate)}`,
                        onchange: (event) => (event.target.checked ? chosen.set(item.id, item) : chosen.delete(item.id)),
                      })
                    : null,
                  `${words.code('kind', item.kind)} · ${item.fullName ?? words.t('erased')} · ${words.date(item.serviceDate)}${item.dischargedOn ? ` – ${words.date(item.dischargedOn)}` : ''}`,
                ),
                h(
                  'p',
                  { class: 'small mb-2' },
                  [words.group(item.group), item.administrativeUnit, item.requestedBy ? `${words.t('requestedBy')}: ${item.requestedBy}` : null]
                    .filter(Boolean)
                    .join(' · '),
                  ' · ',
                  h('a', { href: `#/beneficiaries/${encodeURIComponent(item.beneficiaryId)}` }, words.t('open')),
                ),
                h('h3', { class: 'h6' }, words.t('computation'), item.amount === null ? '' : `: ${words.vnd(item.amount)}`),
                item.admission ? stayComputation(item.admission) : item.adjustments ? adjustmentsComputation(item) : claimComputation(item),
                decisionButtons(item, load, out),
              ),
            ),
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
        // Each claim ticked, by whom, regime, day and amount asked: what the approver is about to approve.
        const rows = [...chosen.values()].map((item) => {
          const asked = item.claim?.cost ?? item.claim?.outOfPocket;
          return [
            item.fullName ?? words.t('erased'),
            [regimeName(item.regimeId), words.date(item.serviceDate), asked === null || asked === undefined ? null : words.vnd(asked)]
              .filter(Boolean)
              .join(' · '),
          ];
        });
        if (!(await confirmDialog(words.t('approveSelected'), [[words.t('selectedN', { n: words.num(chosen.size) }), ''], ...rows]))) return;
        try {
          const outcomes = await post('/claims/approvals', { claimIds: [...chosen.keys()] });
          const approved = outcomes.filter((outcome) => outcome.outcome === 'approved');
          recorded();
          await load(approved.map((outcome) => outcome.claimId));
          const refused = outcomes.filter((outcome) => outcome.outcome !== 'approved');
          out.replaceChildren(
            alertBox(refused.length ? 'warning' : 'success', words.t('approvedN', { n: words.num(approved.length), m: words.num(refused.length) })),
            ...refused.map((outcome) => alertBox('danger', words.has('rule', outcome.rule) ? words.code('rule', outcome.rule) : words.code('rule', 'unknown'))),
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
      () => ((offset = 0), void load()),
      labelled(words.t('kind'), kind),
      labelled(words.t('group'), group),
      labelled(words.t('unit'), unit),
      h('button', { class: 'btn btn-sm btn-primary' }, words.t('filter')),
    ),
    out,
    list,
    approveSelected,
  );
}
