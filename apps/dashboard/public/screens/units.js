import { api, post } from '../lib/api.js';
import { h, heading, table } from '../lib/dom.js';
import { commandForm, panel, sayRecorded } from '../lib/forms.js';
import { recorded, today, words } from '../lib/state.js';

/**
 * The administrative units over time, and their changes from a date: a unit created under its
 * parent, renamed, merged into another, split into two or more, or abolished. Each is one change
 * of `POST /administrative-units/changes`, which checks it against the units as they stand.
 */

const LEVELS = ['province', 'district', 'commune'];

/** A unit's name today: the last it took. */
const nameOf = (unit) => unit.names[unit.names.length - 1]?.name ?? unit.code;

/** How a unit ended, and which units carry it on: "Sáp nhập vào Xã Hoàng Đồng". */
function ending(unit, byCode) {
  if (!unit.ended) return '—';
  const successors = unit.ended.successors.map((code) => (byCode.has(code) ? nameOf(byCode.get(code)) : code)).join(', ');
  return successors ? `${words.code('unitEnd', unit.ended.how)} ${successors}` : words.t('abolishUnit');
}

function unitsTable(units) {
  const byCode = new Map(units.map((unit) => [unit.code, unit]));
  return table(
    [words.t('unitId'), words.t('unitName'), words.t('unitLevel'), words.t('parentUnit'), words.t('from'), words.t('endedOn'), words.t('unitEnding')],
    units.map((unit) =>
      h(
        'tr',
        { 'data-unit': unit.code },
        h('td', {}, unit.code),
        h('td', {}, nameOf(unit)),
        h('td', {}, words.code('unitLevel', unit.level)),
        h('td', {}, unit.parent ? nameOf(byCode.get(unit.parent) ?? { code: unit.parent, names: [] }) : '—'),
        h('td', { class: 'text-nowrap' }, words.date(unit.from)),
        h('td', { class: 'text-nowrap' }, words.date(unit.ended?.on)),
        h('td', {}, ending(unit, byCode)),
      ),
    ),
    { id: 'units-table' },
  );
}

export async function unitsView() {
  const list = h('div');
  const forms = h('div');
  /** The table and the forms afresh; `done`: the form that just recorded, left open and saying so. */
  const load = async (done) => {
    const units = await api('/administrative-units');
    // A change is recorded on a unit that still exists; the forms offer those by their names today.
    const live = units.filter((unit) => !unit.ended || unit.ended.on > today()).map((unit) => [unit.code, nameOf(unit)]);
    list.replaceChildren(unitsTable(units));
    forms.replaceChildren(...unitForms(live, after));
    if (done) sayRecorded(forms, done);
  };
  const after = (id) => async () => {
    recorded();
    await load(id);
  };
  await load();
  return h('section', {}, heading(words.t('unitsTitle')), list, forms);
}

/** The forms, one change each; `live`: [code, name] of the units a change may name; `after(id)`: what the form `id` does once recorded. */
function unitForms(live, after) {
  const change = (kind) => (values) => post('/administrative-units/changes', { changes: [{ kind, ...values }] });
  const unit = (name, label, required = true) => ({ name, label, type: 'select', options: live, required });
  const from = { name: 'from', label: words.t('on'), type: 'date' };
  const form = (id, title, fields, kind, danger = false) =>
    panel(title, commandForm({ id, title, danger, fields, send: change(kind), done: after(id) }), { 'data-action': id });
  return [
    form(
      'create-unit-form',
      words.t('createUnit'),
      [
        { name: 'code', label: words.t('unitId') },
        { name: 'name', label: words.t('unitName') },
        { name: 'level', label: words.t('unitLevel'), type: 'select', options: LEVELS.map((level) => [level, words.code('unitLevel', level)]) },
        unit('parent', words.t('parentUnit'), false),
        from,
      ],
      'created',
    ),
    form('rename-unit-form', words.t('renameUnit'), [unit('code', words.t('unit')), { name: 'name', label: words.t('newUnitName') }, from], 'renamed'),
    form('merge-unit-form', words.t('mergeUnit'), [unit('code', words.t('unit')), unit('into', words.t('mergedInto')), from], 'merged-into', true),
    form(
      'split-unit-form',
      words.t('splitUnit'),
      [
        unit('code', words.t('unit')),
        { name: 'into', label: words.t('splitInto'), type: 'checkboxes', options: live, col: 'col-12', rule: 'twoAtLeast' },
        from,
      ],
      'split',
      true,
    ),
    form(
      'abolish-unit-form',
      words.t('abolishUnit'),
      [unit('code', words.t('unit')), unit('successor', words.t('successorUnit'), false), from],
      'abolished',
      true,
    ),
  ];
}
