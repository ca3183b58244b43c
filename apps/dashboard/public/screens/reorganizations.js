import { api, post, query } from '../lib/api.js';
import { alertBox, h, heading, table } from '../lib/dom.js';
import { confirmDialog, showRefusal } from '../lib/forms.js';
import { recorded, words } from '../lib/state.js';
import { pendingDrafts } from './drafts.js';
import { changesTable } from './policies.js';

/**
 * A reorganization plan as a table mapping old titles to new titles and groups (no group: the new
 * title is not covered and its holders leave the register), drafted by one administrator,
 * previewed, and confirmed by another.
 */

async function planPreview(planId) {
  const preview = await api(`/reorganizations/${encodeURIComponent(planId)}/preview`);
  const held = (position) =>
    `${position.title}, ${position.administrativeUnit}, ${position.group === null ? words.t('notCovered') : words.group(position.group)}`;
  return h(
    'div',
    {},
    h(
      'p',
      { 'data-testid': 'plan-summary' },
      `${words.t('reclassified')}: ${words.num(preview.reclassified.length)} · ${words.t('changes')}: ${words.num(preview.totals.changes)} · ${words.t('difference')}: ${words.vnd(preview.totals.difference)}`,
    ),
    table(
      [words.t('name'), words.t('before'), words.t('after')],
      preview.reclassified
        .slice(0, 50)
        .map((person) => h('tr', {}, h('td', {}, person.fullName ?? words.t('erased')), h('td', {}, held(person.before)), h('td', {}, held(person.after)))),
    ),
    changesTable(preview),
  );
}

/** Plans drafted and not yet confirmed, as the audit trail shows them (a plan is the stream reorganization-<planId>). */
async function drafted() {
  const trail = (action) => api(`/audit/trail?${query({ action, limit: 500 })}`);
  const [drafts, confirmations] = await Promise.all([trail('ReorganizationPlanDrafted'), trail('ReorganizationPlanConfirmed')]);
  const confirmed = new Set(confirmations.items.map((entry) => entry.streamId));
  return drafts.items
    .filter((entry) => !confirmed.has(entry.streamId))
    .map((entry) => ({ id: entry.streamId.slice('reorganization-'.length), draftedBy: entry.actor, at: words.time(entry.recordedAt) }));
}

let rowsMade = 0;

function titleRow(rows, mapping = {}) {
  rowsMade += 1;
  const index = rowsMade;
  const cell = (name, label, control) =>
    h('td', {}, h('label', { class: 'visually-hidden', for: `${name}-${index}` }, `${label} ${index}`), Object.assign(control, { id: `${name}-${index}` }));
  const group = h(
    'select',
    { class: 'form-select form-select-sm', name: 'newGroup' },
    h('option', { value: '' }, words.t('notCovered')),
    [1, 2, 3, 4, 5, 6].map((value) => h('option', { value, selected: mapping.group === value }, words.group(value))),
  );
  const row = h(
    'tr',
    {},
    cell('old-title', words.t('oldTitle'), h('input', { class: 'form-control form-control-sm', name: 'oldTitle', value: mapping.title ?? '' })),
    cell('new-title', words.t('newTitle'), h('input', { class: 'form-control form-control-sm', name: 'newTitle', value: mapping.becomes ?? '' })),
    cell('new-group', words.t('newGroup'), group),
    h('td', {}, h('button', { type: 'button', class: 'btn btn-sm btn-outline-danger', onclick: () => row.remove() }, words.t('removeRow'))),
  );
  rows.append(row);
}

export async function reorganizationsView() {
  const field = (id, label, attributes = {}) => {
    const input = h('input', { class: 'form-control', id, required: true, ...attributes });
    return [input, h('div', { class: 'col-12 col-md-6' }, h('label', { class: 'form-label', for: id }, label), input)];
  };
  const [planId, planIdCell] = field('plan-id', words.t('planId'));
  const [title, titleCell] = field('plan-title', words.t('planTitleField'));
  const [decision, decisionCell] = field('plan-decision', words.t('decisionNumber'));
  const [effective, effectiveCell] = field('plan-effective-from', words.t('effectiveFrom'), { type: 'date' });
  const rows = h('tbody', { id: 'plan-titles' });
  titleRow(rows);
  const out = h('div', { id: 'plan-result', 'aria-live': 'polite' });
  const plan = () => ({
    planId: planId.value.trim(),
    title: title.value.trim(),
    decisionNumber: decision.value.trim(),
    effectiveFrom: effective.value,
    titles: [...rows.children]
      .map((row) => {
        const [old, next, group] = ['oldTitle', 'newTitle', 'newGroup'].map((name) => row.querySelector(`[name=${name}]`).value.trim());
        return { title: old, becomes: { title: next, group: group === '' ? null : Number(group) } };
      })
      .filter((mapping) => mapping.title),
    units: {},
  });
  const form = h(
    'form',
    {
      id: 'plan-form',
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        const drafted = plan();
        const missing = [planId, title, decision, effective].filter((input) => !input.value.trim());
        for (const input of [planId, title, decision, effective]) input.classList.toggle('is-invalid', missing.includes(input));
        if (missing.length || drafted.titles.length === 0 || drafted.titles.some((mapping) => !mapping.becomes.title))
          return void out.replaceChildren(alertBox('danger', words.t('checkFields')));
        const lines = [
          [words.t('planId'), drafted.planId],
          [words.t('decisionNumber'), drafted.decisionNumber],
          [words.t('effectiveFrom'), words.date(drafted.effectiveFrom)],
          ...drafted.titles.map((mapping) => [
            mapping.title,
            `${mapping.becomes.title}, ${mapping.becomes.group === null ? words.t('notCovered') : words.group(mapping.becomes.group)}`,
          ]),
        ];
        if (!(await confirmDialog(words.t('draft'), lines))) return;
        try {
          await post('/reorganizations', drafted);
          recorded();
          out.replaceChildren(await planPreview(drafted.planId));
          await drafts.reload();
        } catch (error) {
          showRefusal(error, out);
        }
      },
    },
    h('div', { class: 'row g-3 mb-3' }, planIdCell, titleCell, decisionCell, effectiveCell),
    table([words.t('oldTitle'), words.t('newTitle'), words.t('newGroup'), ''], [], { id: 'plan-titles-table' }),
    h('button', { type: 'button', class: 'btn btn-sm btn-outline-primary mb-3', id: 'plan-add-row', onclick: () => titleRow(rows) }, words.t('addRow')),
    h('div', {}, h('button', { class: 'btn btn-primary', id: 'plan-draft' }, words.t('draft'))),
    out,
  );
  form.querySelector('#plan-titles-table tbody').replaceWith(rows);
  const drafts = await pendingDrafts({
    list: drafted,
    preview: planPreview,
    confirm: async (id) => {
      const done = await post(`/reorganizations/${encodeURIComponent(id)}/confirmation`);
      return h(
        'div',
        { class: 'alert alert-success', role: 'status', 'data-testid': 'plan-done' },
        `${words.t('done')}: ${words.num(done.beneficiaries)} ${words.t('reclassified').toLowerCase()}, ${words.num(done.adjustments)} ${words.t('adjustments')}`,
      );
    },
    testId: 'plan',
  });
  return h('section', {}, heading(words.t('planTitle')), drafts.element, h('h2', { class: 'h5 mt-4' }, words.t('draft')), form);
}
