import { api, post } from '../lib/api.js';
import { h, heading, table } from '../lib/dom.js';
import { commandForm, panel } from '../lib/forms.js';
import { recorded, words } from '../lib/state.js';

/** The administrative units over time, and a unit renamed or abolished from a date. */
export async function unitsView() {
  const list = h('div');
  const load = async () => {
    const units = await api('/administrative-units');
    list.replaceChildren(
      table(
        [words.t('unitId'), words.t('unitName'), words.t('unitLevel'), words.t('endedOn')],
        units.map((unit) => {
          const name = unit.names[unit.names.length - 1]?.name;
          return h(
            'tr',
            {},
            h('td', {}, unit.code),
            h('td', {}, name),
            h('td', {}, words.code('unitLevel', unit.level)),
            h('td', {}, words.date(unit.ended?.on)),
          );
        }),
        { id: 'units-table' },
      ),
    );
  };
  await load();
  const after = async () => {
    recorded();
    await load();
    return words.t('done');
  };
  return h(
    'section',
    {},
    heading(words.t('unitsTitle')),
    list,
    panel(
      words.t('renameUnit'),
      commandForm({
        id: 'rename-unit-form',
        title: words.t('renameUnit'),
        fields: [
          { name: 'code', label: words.t('unitId') },
          { name: 'name', label: words.t('unitName') },
          { name: 'from', label: words.t('on'), type: 'date' },
        ],
        send: (values) => post('/administrative-units/changes', { changes: [{ kind: 'renamed', ...values }] }),
        done: after,
      }),
    ),
    panel(
      words.t('abolishUnit'),
      commandForm({
        id: 'abolish-unit-form',
        title: words.t('abolishUnit'),
        danger: true,
        fields: [
          { name: 'code', label: words.t('unitId') },
          { name: 'from', label: words.t('on'), type: 'date' },
        ],
        send: (values) => post('/administrative-units/changes', { changes: [{ kind: 'abolished', ...values }] }),
        done: after,
      }),
    ),
  );
}
