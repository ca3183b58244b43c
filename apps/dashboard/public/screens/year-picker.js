import { h } from '../lib/dom.js';
import { words } from '../lib/state.js';

export function yearPicker(year, go) {
  const input = h('input', {
    class: 'form-control form-control-sm',
    type: 'number',
    min: 2000,
    max: 2100,
    value: year,
    style: 'width: 7rem',
    id: 'year-input',
  });
  return h(
    'form',
    {
      class: 'd-flex gap-2 mb-3 align-items-center',
      onsubmit: (event) => {
        event.preventDefault();
        go(input.value);
      },
    },
    h('label', { class: 'col-form-label-sm', for: 'year-input' }, words.t('year')),
    input,
    h('button', { class: 'btn btn-sm btn-primary' }, words.t('show')),
  );
}
