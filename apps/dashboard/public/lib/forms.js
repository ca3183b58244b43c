import { ApiError } from './api.js';
import { alertBox, h } from './dom.js';
import { today, words } from './state.js';

/**
 * Command forms: each field checked here by the rules the API checks (so the clerk learns at
 * once, in the same words), the API's own 400 field errors shown beside their fields, a 409's
 * rule in an alert, and nothing sent before a dialog has shown what will be recorded.
 */

const MAX_TEXT = 500;
const RULES = {
  nationalId: (value) => /^\d{12}$/.test(value) || 'invalid.nationalId',
  group: (value) => (Number.isInteger(Number(value)) && Number(value) >= 1 && Number(value) <= 6) || 'invalid.group',
  whole: (value) => /^\d{1,13}$/.test(String(value)) || 'invalid.whole',
  password: (value) => value.length >= 12 || 'invalid.password',
  username: (value) => /^[a-z0-9.-]+$/.test(value) || 'invalid.username',
  cardNumber: (value) => /^[A-Z0-9-]{4,20}$/.test(value) || 'invalid.cardNumber',
  notAfterToday: (value) => value <= today() || 'invalid.afterToday',
  twoAtLeast: (value) => value.length >= 2 || 'invalid.twoAtLeast',
};

/** An amount as typed, the thousands separated or not (1.500.000): its digits. */
const money = (raw) => String(raw).replace(/[.\s]/g, '');

const isDate = (value) =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && value >= '1900-01-01' && value <= '2100-12-31';

/** The API's English message on a field, as the key of the same rule in the reader's words. */
export function apiFieldProblem(field, message) {
  if (/YYYY-MM-DD|must be a date/.test(message)) return 'invalid.date';
  if (/12 digits/.test(message)) return 'invalid.nationalId';
  if (/no province code/.test(message)) return 'invalid.nationalIdProvince';
  if (/says born in/.test(message)) return 'invalid.nationalIdBirth';
  if (/after today/.test(message)) return 'invalid.afterToday';
  if (/is before/.test(message)) return 'invalid.beforeStart';
  if (/empty|must be a string/.test(message)) return 'invalid.required';
  if (/at least 12|longer than or equal to 12/.test(message)) return 'invalid.password';
  if (/at most 500|shorter than or equal/.test(message)) return 'invalid.tooLong';
  if (field === 'group' || field.endsWith('.group')) return 'invalid.group';
  if (/whole number|integer|less than 0|not be greater/.test(message)) return 'invalid.whole';
  if (/at least 1 elements/.test(message)) return 'invalid.oneAtLeast';
  if (/at least two/.test(message)) return 'invalid.twoAtLeast';
  if (/must start with its code/.test(message)) return 'invalid.regimeIdCode';
  return 'invalid.other';
}

function problemOf(field, raw) {
  const empty = raw === '' || raw === undefined || (Array.isArray(raw) && raw.length === 0);
  if (empty) return field.required === false ? undefined : field.type === 'checkboxes' ? 'invalid.oneAtLeast' : 'invalid.required';
  if (typeof raw === 'string' && raw.length > MAX_TEXT) return 'invalid.tooLong';
  if (field.type === 'date' && !isDate(raw)) return 'invalid.date';
  if (field.type === 'vnd' && RULES.whole(money(raw)) !== true) return 'invalid.whole';
  for (const rule of [field.rule].flat().filter(Boolean)) {
    const verdict = RULES[rule](raw);
    if (verdict !== true) return verdict;
  }
  return undefined;
}

/** A field's problem in words: a key of the texts (invalid.date), or a rule the API said was broken. */
const inWords = (problem) => (problem.rule ? words.code('rule', problem.rule) : words.t(problem));

let nextId = 0;

/** One field: its label, control, help and the place of its error, in a grid cell. */
function control(field) {
  const id = `${field.name.replace(/\W/g, '-')}-${(nextId += 1)}`;
  const feedback = h('div', { class: 'invalid-feedback', id: `${id}-error` });
  const help = field.help ? h('div', { class: 'form-text', id: `${id}-help` }, field.help) : null;
  const described = [help && `${id}-help`, `${id}-error`].filter(Boolean).join(' ');
  const common = { id, name: field.name, 'aria-describedby': described, ...(field.required === false ? {} : { required: true }), ...field.attributes };
  let input;
  let read;
  if (field.type === 'select') {
    input = h(
      'select',
      { class: 'form-select', ...common },
      field.required === false || field.value === undefined ? h('option', { value: '' }, '') : null,
      field.options.map(([value, label]) => h('option', { value, selected: String(field.value) === String(value) }, label)),
    );
    read = () => input.value;
  } else if (field.type === 'checkbox') {
    input = h('input', { class: 'form-check-input', type: 'checkbox', ...common, required: false, checked: field.value === true });
    read = () => input.checked;
  } else if (field.type === 'checkboxes') {
    const boxes = field.options.map(([value, label], index) =>
      h(
        'div',
        { class: 'form-check form-check-inline' },
        h('input', { class: 'form-check-input', type: 'checkbox', id: `${id}-${index}`, value, name: field.name, checked: field.value?.includes(value) }),
        h('label', { class: 'form-check-label', for: `${id}-${index}` }, label),
      ),
    );
    input = h('div', { id, role: 'group', 'aria-labelledby': `${id}-label`, 'aria-describedby': described, 'data-field': field.name }, boxes);
    read = () => [...input.querySelectorAll('input:checked')].map((box) => box.value);
  } else if (field.type === 'textarea') {
    input = h('textarea', { class: 'form-control', rows: 3, ...common }, field.value ?? '');
    read = () => input.value.trim();
  } else {
    const type = field.type === 'vnd' || field.type === 'number' ? 'text' : (field.type ?? 'text');
    input = h('input', {
      class: 'form-control',
      type,
      ...common,
      value: field.value ?? '',
      ...(field.type === 'vnd' || field.type === 'number' ? { inputmode: 'numeric' } : {}),
      ...(field.type === 'password' ? { autocomplete: 'new-password' } : {}),
    });
    read = () => input.value.trim();
  }
  input.dataset.field = field.name;
  const label =
    field.type === 'checkbox'
      ? null
      : h(
          field.type === 'checkboxes' ? 'div' : 'label',
          { class: 'form-label', for: field.type === 'checkboxes' ? undefined : id, id: `${id}-label` },
          field.label,
          field.required === false ? h('span', { class: 'text-body-secondary small' }, ` (${words.t('optional')})`) : null,
        );
  const cell =
    field.type === 'checkbox'
      ? h('div', { class: `${field.col ?? 'col-12'} form-check ms-2` }, input, h('label', { class: 'form-check-label', for: id }, field.label), help, feedback)
      : h('div', { class: field.col ?? 'col-12 col-md-6' }, label, input, help, feedback);
  const show = showOn(field.type === 'checkboxes' ? [...input.querySelectorAll('input')] : [input], feedback);
  return { field, cell, input, read, show };
}

/** Shows a problem (or none) on inputs and in their feedback element, as a control of a form does. */
function showOn(inputs, feedback) {
  return (problem) => {
    const invalid = Boolean(problem);
    for (const element of inputs) {
      element.classList.toggle('is-invalid', invalid);
      element.setAttribute('aria-invalid', String(invalid));
    }
    feedback.textContent = problem ? inWords(problem) : '';
    feedback.classList.toggle('d-block', invalid);
  };
}

/**
 * A control for `showRefusal` over an input a screen made itself: the API's problem with the
 * body's field `name` (or a field under it) is said in the feedback element placed after it.
 */
export function apiField(name, input) {
  const feedback = h('div', { class: 'invalid-feedback', id: `${input.id}-error` });
  input.setAttribute('aria-describedby', feedback.id);
  return { field: { name }, input, feedback, show: showOn([input], feedback) };
}

/** What a value will be recorded as, in words: the dialog's line for a field. */
function shown(field, raw) {
  if (raw === '' || raw === undefined || (Array.isArray(raw) && raw.length === 0)) return null;
  if (field.type === 'select') return field.options.find(([value]) => String(value) === String(raw))?.[1] ?? raw;
  if (field.type === 'checkboxes') return raw.map((value) => field.options.find(([option]) => option === value)?.[1] ?? value).join(', ');
  if (field.type === 'checkbox') return raw ? words.t('yes') : null;
  if (field.type === 'date') return words.date(raw);
  if (field.type === 'vnd') return words.vnd(Number(money(raw)));
  if (field.type === 'password') return '••••••••••••';
  return raw;
}

/** The values to send: numbers as numbers, empty optional fields left out. */
function valueOf(field, raw) {
  if (raw === '' || (Array.isArray(raw) && raw.length === 0 && field.required === false)) return undefined;
  if (field.type === 'vnd') return Number(money(raw));
  if (field.type === 'number' || field.rule === 'group') return Number(raw);
  return raw;
}

/** Asks before a command is sent, listing what will be recorded; resolves true to go on. */
export function confirmDialog(title, rows, { danger = false, note } = {}) {
  return new Promise((resolve) => {
    const yes = h('button', { type: 'button', class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`, 'data-testid': 'confirm-yes' }, words.t('record'));
    const no = h('button', { type: 'button', class: 'btn btn-outline-secondary', 'data-testid': 'confirm-no' }, words.t('cancel'));
    const dialog = h(
      'dialog',
      { class: 'confirm-dialog', 'aria-labelledby': 'confirm-title' },
      h('h2', { class: 'h5', id: 'confirm-title' }, title),
      h('p', { class: 'small text-body-secondary mb-2' }, words.t('willRecord')),
      h(
        'dl',
        { class: 'confirm-rows' },
        rows.filter(([, value]) => value !== null && value !== undefined).map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
      ),
      h('p', { class: 'small' }, note ?? words.t('cannotUndo')),
      h('div', { class: 'd-flex gap-2 justify-content-end flex-wrap' }, no, yes),
    );
    const close = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    yes.addEventListener('click', () => close(true));
    no.addEventListener('click', () => close(false));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

/** A refusal as an alert, 400 field errors beside their fields; what no field shows goes in the alert. */
export function showRefusal(error, out, controls = []) {
  if (!(error instanceof ApiError)) return void out.replaceChildren(alertBox('danger', `${words.t('error')}: ${error.message}`));
  const unplaced = [];
  for (const { field, message } of error.fields) {
    // A field of the body's one list item (changes[0].code) is the form's field of that name (code).
    const own = field.replace(/^\w+\[0\]\./, '').replace(/\[\d+\]$/, '');
    const named = (name) => (candidate) => candidate.field.name === name || name.startsWith(`${candidate.field.name}.`);
    const found = controls.find(named(field)) ?? controls.find(named(own));
    // A 409 names the broken rule on its field: said there in the rule's words.
    const problem = error.status === 409 && error.rule && words.has('rule', error.rule) ? { rule: error.rule } : apiFieldProblem(field, message);
    if (found) found.show(problem);
    else unplaced.push(`${words.has('field', field) ? words.code('field', field) : field}: ${inWords(problem)}`);
  }
  out.replaceChildren(
    h(
      'div',
      { class: 'alert alert-danger', role: 'alert', 'data-rule': error.rule ?? String(error.status) },
      h('strong', {}, error.said),
      unplaced.length
        ? h(
            'ul',
            { class: 'mb-0' },
            unplaced.map((line) => h('li', {}, line)),
          )
        : null,
    ),
  );
}

/**
 * A command's form. `send(values)` performs it; `done(result, values)` says what was recorded
 * (a string or a node) or moves elsewhere. `describe(values)` overrides the dialog's lines.
 */
export function commandForm({ id, title, fields, submit, danger = false, describe, send, done, intro, check }) {
  const controls = fields.map(control);
  const out = h('div', { class: 'form-result mt-2', 'aria-live': 'polite' });
  const button = h('button', { class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`, type: 'submit' }, submit ?? words.t('record'));
  const form = h(
    'form',
    { class: 'command-form', id, novalidate: true },
    intro ? h('p', { class: 'small text-body-secondary' }, intro) : null,
    h(
      'div',
      { class: 'row g-3' },
      controls.map((one) => one.cell),
    ),
    h('div', { class: 'mt-3' }, button),
    out,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    out.replaceChildren();
    const raw = Object.fromEntries(controls.map((one) => [one.field.name, one.read()]));
    let invalid = false;
    for (const one of controls) {
      const problem = problemOf(one.field, raw[one.field.name]) ?? check?.(one.field.name, raw);
      one.show(problem);
      invalid ||= Boolean(problem);
    }
    if (invalid) {
      out.replaceChildren(alertBox('danger', words.t('checkFields')));
      return void form.querySelector('.is-invalid')?.focus();
    }
    const values = Object.fromEntries(
      controls.map((one) => [one.field.name, valueOf(one.field, raw[one.field.name])]).filter(([, value]) => value !== undefined),
    );
    let rows;
    try {
      rows = describe ? await describe(values) : controls.map((one) => [one.field.label, shown(one.field, raw[one.field.name])]);
    } catch (error) {
      return void showRefusal(error, out, controls);
    }
    if (!(await confirmDialog(title, rows, { danger }))) return;
    button.disabled = true;
    try {
      const result = await send(values);
      // Recorded: the form starts afresh, so that the next entry does not inherit this one's choices.
      form.reset();
      const said = await done?.(result, values);
      if (said) out.replaceChildren(said instanceof Node ? said : alertBox('success', said, { 'data-testid': 'command-done' }));
    } catch (error) {
      showRefusal(error, out, controls);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/** Once a screen is drawn afresh after a command, the form that recorded it is open again and says so. */
export function sayRecorded(container, formId) {
  const form = container.querySelector(`#${formId}`);
  if (!form) return;
  const folded = form.closest('details');
  if (folded) folded.open = true;
  form.querySelector('.form-result').replaceChildren(alertBox('success', words.t('done'), { 'data-testid': 'command-done' }));
}

/** The person's valid cards to choose from, the first chosen: a service is recorded on a valid card. */
export function validCardField(cards) {
  const valid = cards.filter((card) => card.status === 'valid');
  return {
    name: 'cardNumber',
    label: words.t('cardNumber'),
    type: 'select',
    options: valid.map((card) => [card.cardNumber, card.cardNumber]),
    value: valid[0]?.cardNumber,
  };
}

/** An action folded under its title until opened, so a record's page lists what can be done to it. */
export const panel = (title, content, attributes = {}) =>
  h('details', { class: 'card action-panel mb-2', ...attributes }, h('summary', { class: 'card-header' }, title), h('div', { class: 'card-body' }, content));

/** A button that asks first, then does one thing and reports it. */
export function actionButton({ label, title, rows, danger = false, act, out, attributes = {} }) {
  return h(
    'button',
    {
      type: 'button',
      class: `btn btn-sm ${danger ? 'btn-outline-danger' : 'btn-outline-primary'}`,
      ...attributes,
      onclick: async (event) => {
        const button = event.currentTarget;
        if (!(await confirmDialog(title ?? label, typeof rows === 'function' ? rows() : rows, { danger }))) return;
        button.disabled = true;
        try {
          await act();
        } catch (error) {
          showRefusal(error, out);
        } finally {
          button.disabled = false;
        }
      },
    },
    label,
  );
}
