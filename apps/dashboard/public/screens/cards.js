import { api, post, query, readUntil } from '../lib/api.js';
import { badge, h, heading, labelled, table, toolbar } from '../lib/dom.js';
import { commandForm, panel } from '../lib/forms.js';
import { hasRole, recorded, words } from '../lib/state.js';

const REISSUE_REASONS = ['lost', 'damaged', 'title-change'];

/** The reissue and the revocation of one valid card, shown under the register once it is chosen. */
function cardActions(card, after) {
  const path = `/cards/${encodeURIComponent(card.cardNumber)}`;
  return h(
    'div',
    { class: 'mt-3', id: 'card-actions' },
    h('h2', { class: 'h5' }, `${words.t('card')} ${card.cardNumber}`),
    panel(
      words.t('reissueCard'),
      commandForm({
        id: 'reissue-form',
        title: `${words.t('reissueCard')} ${card.cardNumber}`,
        fields: [
          { name: 'newCardNumber', label: words.t('newCardNumber'), rule: 'cardNumber' },
          { name: 'reason', label: words.t('reason'), type: 'select', options: REISSUE_REASONS.map((reason) => [reason, words.code('reissue', reason)]) },
          { name: 'on', label: words.t('reissuedOn'), type: 'date' },
          { name: 'validTo', label: words.t('validTo'), type: 'date', required: false, value: card.validTo },
        ],
        send: (values) => post(`${path}/reissue`, values),
        done: after,
      }),
    ),
    panel(
      words.t('revokeCard'),
      commandForm({
        id: 'revoke-form',
        title: `${words.t('revokeCard')} ${card.cardNumber}`,
        danger: true,
        fields: [
          { name: 'on', label: words.t('revokedOn'), type: 'date' },
          { name: 'reason', label: words.t('reason') },
        ],
        send: (values) => post(`${path}/revocation`, values),
        done: after,
      }),
    ),
  );
}

export async function cardsView() {
  const number = h('input', { class: 'form-control form-control-sm', name: 'number', type: 'search' });
  const name = h('input', { class: 'form-control form-control-sm', name: 'name', type: 'search' });
  const results = h('div');
  const actions = h('div');
  const keepsCards = hasRole('clerk', 'administrator');
  const search = async (settled = () => true) => {
    const found = await readUntil(
      () => api(`/cards?${query({ limit: 50, number: number.value, name: name.value })}`),
      (answer) => settled(answer.cards),
    );
    const choose = (card) => () =>
      actions.replaceChildren(
        cardActions(card, async (_, { newCardNumber }) => {
          recorded();
          // The register shows the card reissued (and its successor) or revoked a moment after it was recorded.
          await search(
            (cards) =>
              cards.some((one) => one.cardNumber === card.cardNumber && one.status !== 'valid') &&
              (!newCardNumber || cards.some((one) => one.cardNumber === newCardNumber)),
          );
          return words.t('done');
        }),
      );
    results.replaceChildren(
      table(
        [words.t('cardNumber'), words.t('name'), words.t('unit'), words.t('group'), words.t('validFrom'), words.t('validTo'), words.t('status')],
        found.cards.map((card) =>
          h(
            'tr',
            {},
            h(
              'td',
              {},
              keepsCards && card.status === 'valid'
                ? h('button', { type: 'button', class: 'btn btn-link p-0', 'data-card': card.cardNumber, onclick: choose(card) }, card.cardNumber)
                : card.cardNumber,
            ),
            h('td', {}, h('a', { href: `#/beneficiaries/${encodeURIComponent(card.beneficiaryId)}` }, card.fullName ?? words.t('erased'))),
            h('td', {}, card.administrativeUnit),
            h('td', { class: 'text-nowrap' }, card.groupAtIssue ? words.group(card.groupAtIssue) : '—'),
            h('td', {}, words.date(card.validFrom)),
            h('td', {}, words.date(card.validTo)),
            h('td', {}, badge(card.status)),
          ),
        ),
        { id: 'cards-table' },
      ),
    );
  };
  await search();
  return h(
    'section',
    {},
    heading(words.t('nav.cards')),
    toolbar(
      () => void search(),
      labelled(words.t('cardNumber'), number),
      labelled(words.t('name'), name),
      h('button', { class: 'btn btn-sm btn-primary' }, words.t('search')),
    ),
    results,
    actions,
  );
}
