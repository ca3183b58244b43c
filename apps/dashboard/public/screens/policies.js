import { api, post } from '../lib/api.js';
import { inLanguage, loadCatalog, regimeName, versionInForce } from '../lib/catalog.js';
import { alertBox, h, heading, money, table } from '../lib/dom.js';
import { apiField, confirmDialog, panel, showRefusal } from '../lib/forms.js';
import { recorded, state, today, words } from '../lib/state.js';
import { pendingDrafts } from './drafts.js';

/**
 * Policy versions as a form per regime, starting from the version in force: every rate, ceiling,
 * cap and limit by group (a group left empty is not covered), the differences from the version
 * in force shown as they are typed. A version with past effect is drafted by one administrator
 * and confirmed by another, after both saw what it would change.
 */

/** Each rule kind's tables by group, in the order they are shown. */
const TABLES = {
  'fixed-per-event': ['amountByGroup'],
  'rate-per-day': ['rateByGroup'],
  'actual-cost-up-to-claim-ceiling': ['ceilingByGroup'],
  'actual-cost-up-to-annual-cap': ['annualCapByGroup'],
  'share-of-out-of-pocket': ['shareBasisPointsByGroup', 'ceilingByGroup'],
  'limited-per-year': ['timesPerYearByGroup', 'amountByGroup'],
};
const FLAGS = { 'rate-per-day': ['countFirstDay', 'countLastDay'], 'limited-per-year': ['actualCost'] };
const GROUPS = ['1', '2', '3', '4', '5', '6'];
/** The letters the resolution and its year-end report group regimes by (đ: outpatient convalescence). */
const REGIME_CODES = ['a', 'b', 'c', 'd', 'đ', 'e', 'g', 'h', 'i', 'k'];
/** A new regime's flags start as the resolution's usual ones: both ends of a stay count; a yearly allowance is a fixed amount. */
const FLAG_DEFAULTS = { countFirstDay: true, countLastDay: true, actualCost: false };
const TABLE_WORDS = {
  amountByGroup: 'amount',
  rateByGroup: 'perDay',
  ceilingByGroup: 'ceiling',
  annualCapByGroup: 'annualCap',
  shareBasisPointsByGroup: 'share',
  timesPerYearByGroup: 'timesPerYear',
  amountByRole: 'amount',
};
const tableLabel = (key) => words.t(TABLE_WORDS[key]);

/** How a table's value is written in the form: basis points as a percentage, amounts with their thousands separated (470.000). */
const written = (key, value) =>
  value === undefined ? '' : key === 'shareBasisPointsByGroup' ? String(value / 100).replace('.', state.language === 'vi' ? ',' : '.') : words.num(value);
const read = (key, text) => {
  const plain = text.trim();
  if (plain === '') return undefined;
  if (key === 'shareBasisPointsByGroup') {
    const share = Number(plain.replace(',', '.'));
    return Number.isFinite(share) && share >= 0 && share <= 100 ? Math.round(share * 100) : NaN;
  }
  // Amounts are whole: typed with the thousands separated as they are written (190.000, or 190,000 in English), or not.
  return /^\d[\d.,\s]*$/.test(plain) ? Number(plain.replace(/[.,\s]/g, '')) : NaN;
};
const shownValue = (key, value) =>
  value === undefined
    ? words.t('notCovered')
    : key === 'shareBasisPointsByGroup'
      ? words.percent(value / 100)
      : key === 'timesPerYearByGroup'
        ? words.num(value)
        : words.vnd(value);

/** One regime's inputs: a row per group (or per staff role), a column per table. */
function regimeFieldset(regime, inputs) {
  const rule = regime.rule;
  if (rule.kind === 'staff-allowance') {
    const roles = Object.keys(rule.amountByRole);
    const title = `${regimeName(regime.id)} (${words.code('per', rule.per)})`;
    return panel(
      title,
      h(
        'fieldset',
        {},
        h('legend', { class: 'visually-hidden' }, title),
        table(
          [words.t('staffRole'), { label: words.t('amount'), money: true }],
          roles.map((role) => {
            const input = h('input', {
              class: 'form-control form-control-sm text-end',
              inputmode: 'numeric',
              value: written('amountByRole', rule.amountByRole[role]),
              'aria-label': `${regimeName(regime.id)} — ${words.code('staffRole', role)}`,
            });
            inputs.push({ regime: regime.id, key: 'amountByRole', slot: role, input });
            return h('tr', {}, h('th', { scope: 'row' }, words.code('staffRole', role)), h('td', {}, input));
          }),
        ),
        removal(regime, inputs),
      ),
      { 'data-regime': regime.id },
    );
  }
  const title = `${regimeName(regime.id)} — ${words.code('ruleKind', rule.kind)}`;
  return panel(
    title,
    h(
      'fieldset',
      {},
      h('legend', { class: 'visually-hidden' }, title),
      figures(regime.id, regimeName(regime.id), rule, (one) => inputs.push({ regime: regime.id, ...one })),
      removal(regime, inputs),
    ),
    { 'data-regime': regime.id },
  );
}

/** The box that leaves a regime out of the new version. */
function removal(regime, inputs) {
  const box = h('input', { type: 'checkbox', class: 'form-check-input', id: `${regime.id}-remove`, name: `${regime.id}|remove` });
  inputs.push({ regime: regime.id, input: box, remove: true });
  return h('div', { class: 'form-check mt-2' }, box, h('label', { class: 'form-check-label', for: box.id }, words.t('removeRegime')));
}

/** A rule's figures by group, a column per table, and its flags; each input handed to `keep` with the table and group it fills. */
function figures(id, name, rule, keep) {
  const tables = TABLES[rule.kind];
  return [
    table(
      [words.t('group'), ...tables.map((key) => ({ label: tableLabel(key), money: true }))],
      GROUPS.map((group) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row', class: 'text-nowrap' }, words.group(group)),
          tables.map((key) => {
            const input = h('input', {
              class: 'form-control form-control-sm text-end',
              inputmode: 'decimal',
              name: `${id}|${key}|${group}`,
              value: written(key, rule[key]?.[group]),
              'aria-label': `${name} — ${tableLabel(key)} — ${words.group(group)}`,
            });
            keep({ key, slot: group, input });
            return h('td', {}, input);
          }),
        ),
      ),
    ),
    (FLAGS[rule.kind] ?? []).map((flag) => {
      const box = h('input', { type: 'checkbox', class: 'form-check-input', id: `${id}-${flag}`, checked: rule[flag] });
      keep({ key: flag, input: box, flag: true });
      return h('div', { class: 'form-check form-check-inline' }, box, h('label', { class: 'form-check-label', for: box.id }, words.t(flag)));
    }),
  ];
}

let regimesAdded = 0;

/**
 * A regime the version adds: its id, letter, name, clause and rule kind, then the kind's figures
 * by group. `fields` are its inputs as `showRefusal` places the API's problems on them, named by
 * their path in the version once `at(index)` says where the regime stands in it.
 */
function newRegime(onChange, onRemove) {
  regimesAdded += 1;
  const n = regimesAdded;
  const one = { inputs: [], header: {} };
  const cell = (key, label, control, help) => {
    control.id = `new-regime-${n}-${key}`;
    one.header[key] = apiField(key, control);
    const helpText = help ? h('div', { class: 'form-text', id: `${control.id}-help` }, help) : null;
    if (helpText) control.setAttribute('aria-describedby', `${control.id}-help ${one.header[key].feedback.id}`);
    return h('div', { class: 'col-12 col-md-6' }, h('label', { class: 'form-label', for: control.id }, label), control, helpText, one.header[key].feedback);
  };
  const select = (name, options) =>
    h(
      'select',
      { class: 'form-select', name },
      h('option', { value: '' }, ''),
      options.map(([value, label]) => h('option', { value }, label)),
    );
  const kind = select(
    'kind',
    Object.keys(TABLES).map((value) => [value, words.code('ruleKind', value)]),
  );
  const figuresBox = h('div', { class: 'mt-3' });
  kind.addEventListener('change', () => {
    one.inputs = [];
    const rule = { kind: kind.value, ...Object.fromEntries((FLAGS[kind.value] ?? []).map((flag) => [flag, FLAG_DEFAULTS[flag]])) };
    figuresBox.replaceChildren(...(kind.value ? figures(`new-${n}`, words.t('newRegime'), rule, (input) => one.inputs.push(input)) : []));
    onChange();
  });
  one.element = h(
    'fieldset',
    { class: 'card card-body mb-2', 'data-new-regime': n },
    h('legend', { class: 'h6' }, words.t('newRegime')),
    h(
      'div',
      { class: 'row g-3' },
      cell('id', words.t('regimeId'), h('input', { class: 'form-control', name: 'id' }), words.t('regimeIdHelp')),
      cell(
        'code',
        words.t('regimeCode'),
        select(
          'code',
          REGIME_CODES.map((code) => [code, code]),
        ),
      ),
      cell('name', words.t('regimeName'), h('input', { class: 'form-control', name: 'name' }), words.t('regimeNameHelp')),
      cell('clause', words.t('clause'), h('input', { class: 'form-control', name: 'clause' })),
      cell('kind', words.t('ruleKind'), kind),
    ),
    figuresBox,
    h(
      'div',
      { class: 'mt-2' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-sm btn-outline-danger',
          onclick: () => {
            one.element.remove();
            onRemove(one);
            onChange();
          },
        },
        words.t('removeRegime'),
      ),
    ),
  );
  return one;
}

/** A new regime as the version holds it, and its inputs the form could not read. */
function addedRegime(one, problems) {
  const value = (key) => one.header[key].input.value.trim();
  for (const key of ['id', 'code', 'name', 'clause', 'kind']) {
    one.header[key].show(value(key) ? undefined : 'invalid.required');
    if (!value(key)) problems.push(one.header[key].input);
  }
  const rule = { kind: value('kind'), ...Object.fromEntries((TABLES[value('kind')] ?? []).map((key) => [key, {}])) };
  for (const input of one.inputs) {
    if (input.flag) {
      rule[input.key] = input.input.checked;
      continue;
    }
    const figure = read(input.key, input.input.value);
    input.input.classList.toggle('is-invalid', Number.isNaN(figure));
    if (Number.isNaN(figure)) problems.push(input.input);
    else if (figure !== undefined) rule[input.key][input.slot] = figure;
  }
  return { id: value('id'), code: value('code'), name: value('name'), clause: value('clause'), illustrative: false, rule };
}

/** The version the form describes, or the fields it cannot read. */
function versionFrom(base, header, inputs, added) {
  const problems = [];
  const removed = new Set(inputs.filter((one) => one.remove && one.input.checked).map((one) => one.regime));
  const kept = base.regimes
    .filter((regime) => !removed.has(regime.id))
    .map((regime) => {
      const rule = structuredClone(regime.rule);
      for (const one of inputs.filter((input) => input.regime === regime.id && !input.remove)) {
        if (one.flag) {
          rule[one.key] = one.input.checked;
          continue;
        }
        const value = read(one.key, one.input.value);
        one.input.classList.toggle('is-invalid', Number.isNaN(value));
        if (Number.isNaN(value)) problems.push(one.input);
        if (value === undefined) delete rule[one.key][one.slot];
        else rule[one.key][one.slot] = value;
      }
      return { ...regime, rule };
    });
  const regimes = [...kept, ...added.map((one) => addedRegime(one, problems))];
  const { id, legalBasis, effectiveFrom, note } = Object.fromEntries(Object.entries(header).map(([key, input]) => [key, input.value.trim()]));
  for (const [key, input] of Object.entries(header)) {
    const invalid = (key !== 'note' && !input.value.trim()) || (key === 'effectiveFrom' && !/^\d{4}-\d{2}-\d{2}$/.test(input.value));
    input.classList.toggle('is-invalid', invalid);
    if (invalid) problems.push(input);
  }
  return { version: { id, province: base.province, legalBasis, effectiveFrom, ...(note ? { note } : {}), regimes }, problems };
}

/** Every value that differs from the version in force: [what, before, after]. */
function differences(before, after) {
  const lines = [];
  for (const key of ['legalBasis', 'effectiveFrom', 'note'])
    if ((before[key] ?? '') !== (after[key] ?? ''))
      lines.push([
        words.t(key),
        key === 'effectiveFrom' ? words.date(before[key]) : (before[key] ?? '—'),
        key === 'effectiveFrom' ? words.date(after[key]) : (after[key] ?? '—'),
      ]);
  for (const regime of before.regimes.filter((one) => !after.regimes.some((candidate) => candidate.id === one.id)))
    lines.push([regimeName(regime.id), words.t('regimeInForce'), words.t('regimeRemoved')]);
  for (const regime of after.regimes) {
    const existing = before.regimes.find((candidate) => candidate.id === regime.id);
    const old = existing?.rule ?? {};
    // A new regime is named as typed: the catalog does not know it yet.
    const named = existing ? regimeName(regime.id) : `${regime.name || '—'} (${regime.id || '—'})`;
    if (!existing) lines.push([named, '—', `${words.t('regimeAdded')}: ${regime.rule.kind ? words.code('ruleKind', regime.rule.kind) : '—'}`]);
    for (const [key, value] of Object.entries(regime.rule)) {
      if (key === 'kind' || key === 'per') continue;
      if (typeof value === 'boolean') {
        if (old[key] !== value) lines.push([`${named} — ${words.t(key)}`, words.t(old[key] ? 'yes' : 'no'), words.t(value ? 'yes' : 'no')]);
        continue;
      }
      for (const slot of new Set([...Object.keys(old[key] ?? {}), ...Object.keys(value)])) {
        if (old[key]?.[slot] === value[slot]) continue;
        const where = key === 'amountByRole' ? words.code('staffRole', slot) : words.group(slot);
        lines.push([`${named} — ${tableLabel(key)} — ${where}`, shownValue(key, old[key]?.[slot]), shownValue(key, value[slot])]);
      }
    }
  }
  return lines;
}

const diffTable = (lines) =>
  lines.length === 0
    ? h('p', { class: 'text-body-secondary' }, words.t('noDiff'))
    : table(
        [words.t('changes'), words.t('before'), words.t('after')],
        lines.map((line) =>
          h(
            'tr',
            {},
            line.map((cell) => h('td', {}, cell)),
          ),
        ),
        { id: 'policy-diff-table' },
      );

/** What a drafted version would change: totals, then every stay and claim. */
export async function policyPreview(id) {
  const preview = await api(`/policy-versions/drafts/${encodeURIComponent(id)}/preview`);
  return h(
    'div',
    {},
    h(
      'p',
      { 'data-testid': 'policy-summary' },
      `${words.t('draftedBy')}: ${preview.draft.draftedBy} · ${words.t('changes')}: ${words.num(preview.totals.changes)} · ${words.t('difference')}: ${words.vnd(preview.totals.difference)}`,
    ),
    changesTable(preview),
  );
}

/** Stays' and claims' changes in one table: the regime, the group before and after, the money. */
export function changesTable(preview) {
  const rows = [...preview.changes, ...preview.claimChanges].slice(0, 100);
  return table(
    [
      { label: words.t('regime'), wide: true },
      `${words.t('group')} (${words.t('before')} → ${words.t('after')})`,
      { label: words.t('before'), money: true },
      { label: words.t('after'), money: true },
      { label: words.t('difference'), money: true },
    ],
    rows.map((change) =>
      h(
        'tr',
        {},
        h('td', {}, regimeName(change.regimeId)),
        h('td', {}, `${words.group(change.previous.group)} → ${words.group(change.next.group)}`),
        money(change.previous.amount),
        money(change.next.amount),
        money(change.difference),
      ),
    ),
    { id: 'changes-table' },
  );
}

export async function policiesView() {
  await loadCatalog();
  const base = versionInForce();
  if (!base) return h('section', {}, heading(words.t('policiesTitle')), alertBox('info', words.t('noRegimesVersion')));
  const inputs = [];
  const header = {
    id: h('input', { class: 'form-control', id: 'policy-id', value: '' }),
    legalBasis: h('input', { class: 'form-control', id: 'policy-legal-basis', value: base.legalBasis }),
    effectiveFrom: h('input', { class: 'form-control', id: 'policy-effective-from', type: 'date', value: base.effectiveFrom }),
    note: h('textarea', { class: 'form-control', id: 'policy-note', rows: 2 }, base.note ?? ''),
  };
  const diff = h('div', { id: 'policy-diff', 'aria-live': 'polite' });
  const out = h('div', { id: 'policy-result', 'aria-live': 'polite' });
  const added = [];
  const addedBox = h('div', { id: 'new-regimes' });
  const showDiff = () => diff.replaceChildren(diffTable(differences(base, versionFrom(base, header, inputs, added).version)));
  const addRegime = () => {
    const one = newRegime(showDiff, (gone) => added.splice(added.indexOf(gone), 1));
    added.push(one);
    addedBox.append(one.element);
    one.header.id.input.focus();
  };
  /** The API names a problem by its path in the version (regimes[13].id): the new regimes' inputs under theirs. */
  const controls = (version) => {
    const first = version.regimes.length - added.length;
    return added.flatMap((one, k) =>
      Object.entries(one.header).map(([key, control]) => ({ ...control, field: { name: `regimes[${first + k}].${key === 'kind' ? 'rule' : key}` } })),
    );
  };
  const form = h(
    'form',
    {
      id: 'policy-form',
      novalidate: true,
      oninput: showDiff,
      onsubmit: async (event) => {
        event.preventDefault();
        const { version, problems } = versionFrom(base, header, inputs, added);
        if (problems.length) {
          out.replaceChildren(alertBox('danger', words.t('checkFields')));
          return void problems[0].focus();
        }
        const changed = differences(base, version);
        const rows = [
          [words.t('versionId'), version.id],
          [words.t('effectiveFrom'), words.date(version.effectiveFrom)],
          ...changed.map(([what, before, after]) => [what, `${before} → ${after}`]),
        ];
        if (!(await confirmDialog(words.t('draftPolicy'), rows))) return;
        try {
          if (version.effectiveFrom <= today()) {
            await post('/policy-versions/drafts', version);
            out.replaceChildren(await policyPreview(version.id));
          } else {
            await post('/policy-versions', version);
            out.replaceChildren(alertBox('success', words.t('done'), { 'data-testid': 'policy-published' }));
          }
          recorded();
          await drafts.reload();
        } catch (error) {
          showRefusal(error, out, controls(version));
        }
      },
    },
    h(
      'div',
      { class: 'row g-3 mb-3' },
      [
        ['id', 'versionId', 'policy-id'],
        ['legalBasis', 'legalBasis', 'policy-legal-basis'],
        ['effectiveFrom', 'effectiveFrom', 'policy-effective-from'],
        ['note', 'note', 'policy-note'],
      ].map(([key, label, id]) =>
        h('div', { class: key === 'note' ? 'col-12' : 'col-12 col-md-4' }, h('label', { class: 'form-label', for: id }, words.t(label)), header[key]),
      ),
    ),
    base.regimes.map((regime) => regimeFieldset(regime, inputs)),
    addedBox,
    h('button', { type: 'button', class: 'btn btn-sm btn-outline-primary mb-3', id: 'policy-add-regime', onclick: addRegime }, words.t('addRegime')),
    h('h2', { class: 'h5' }, words.t('diffTitle')),
    diff,
    h('button', { class: 'btn btn-primary', id: 'policy-draft' }, words.t('draftPolicy')),
    out,
  );
  showDiff();
  const drafts = await pendingDrafts({
    list: async () =>
      (await api('/policy-versions/drafts/pending')).map((draft) => ({
        id: draft.versionId,
        draftedBy: draft.draftedBy,
        at: `${words.t('effectiveFrom')} ${words.date(draft.effectiveFrom)}`,
      })),
    preview: policyPreview,
    confirm: async (id) => {
      const done = await post(`/policy-versions/drafts/${encodeURIComponent(id)}/confirmation`);
      await loadCatalog();
      return h(
        'div',
        { class: 'alert alert-success', role: 'status', 'data-testid': 'policy-done' },
        `${words.t('done')}: ${words.num(done.adjustments)} ${words.t('adjustments')}`,
      );
    },
    testId: 'policy',
  });
  return h(
    'section',
    {},
    heading(words.t('policiesTitle')),
    h(
      'p',
      {},
      `${words.t('inForce')}: ${base.id} · ${words.t('effectiveFrom')} ${words.date(base.effectiveFrom)} · ${words.t('legalBasis')}: ${inLanguage(base.legalBasis)}`,
    ),
    drafts.element,
    h('h2', { class: 'h5 mt-4' }, words.t('newVersion')),
    form,
  );
}
