import { words } from './state.js';

/** An element with attributes (`on*` as listeners) and children (strings become text, never HTML). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity))
    if (child !== null && child !== undefined && child !== false) element.append(child instanceof Node ? child : String(child));
  return element;
}

/** Replaces an element's children, leaving out the absent ones (a condition's null) rather than writing them as text. */
export const fill = (element, ...children) =>
  element.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));

/**
 * A table that scrolls sideways inside its box on a narrow screen, so that the page never does.
 * `headings`: strings, or `{ label, money }` for right-aligned amounts, `{ label, wide }` for a
 * column of long names (regimes, clauses) that a phone would otherwise squeeze to a word a line.
 */
export function table(headings, rows, attributes = {}) {
  // Focusable, so that a keyboard can scroll a table wider than a phone.
  return h(
    'div',
    { class: 'table-responsive', tabindex: '0' },
    h(
      'table',
      { class: 'table table-sm table-striped align-middle', ...attributes },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headings.map((heading) =>
            h('th', { class: [heading.money ? 'money' : '', heading.wide ? 'wide' : ''].join(' ').trim(), scope: 'col' }, heading.label ?? heading),
          ),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

export const money = (amount, testId) => h('td', { class: 'money', 'data-testid': testId }, words.vnd(amount));

export const alertBox = (kind, text, attributes = {}) =>
  h('div', { class: `alert alert-${kind}`, role: kind === 'danger' ? 'alert' : 'status', ...attributes }, text);

export const heading = (text, attributes = {}) => h('h1', { class: 'h4', ...attributes }, text);

export const badge = (status) => h('span', { class: `badge status-badge status-${status}`, 'data-status': status }, words.code('status', status));

/** Saves a blob the API answered as a file with the given name. */
export function saveFile(blob, filename) {
  const link = h('a', { href: URL.createObjectURL(blob), download: filename });
  document.body.append(link);
  link.click();
  link.remove();
}

/** A small search bar whose controls wrap on a phone. */
export const toolbar = (onsubmit, ...controls) =>
  h(
    'form',
    {
      class: 'row g-2 align-items-end mb-3',
      onsubmit: (event) => {
        event.preventDefault();
        onsubmit();
      },
    },
    controls.map((control) => h('div', { class: 'col-12 col-sm-auto' }, control)),
  );

/** A labelled control for toolbars: label above, control below. */
export function labelled(label, control) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h('div', {}, h('label', { class: 'form-label small mb-1', for: id }, label), control);
}

/** Previous and next pages of a paged list (`{ items, total, offset, limit }`), and where this page stands in it. */
export function pager(page, go) {
  const last = Math.min(page.total, page.offset + page.items.length);
  return h(
    'nav',
    { class: 'd-flex flex-wrap gap-2 align-items-center mb-3', 'aria-label': words.t('page') },
    h(
      'button',
      { type: 'button', class: 'btn btn-sm btn-outline-primary', disabled: page.offset === 0, onclick: () => go(Math.max(0, page.offset - page.limit)) },
      words.t('previous'),
    ),
    h(
      'span',
      { class: 'small', 'data-testid': 'page-of' },
      words.t('pageOf', { from: words.num(page.total === 0 ? 0 : page.offset + 1), to: words.num(last), total: words.num(page.total) }),
    ),
    h(
      'button',
      { type: 'button', class: 'btn btn-sm btn-outline-primary', disabled: last >= page.total, onclick: () => go(page.offset + page.limit) },
      words.t('next'),
    ),
  );
}
