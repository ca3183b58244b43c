import { alertBox, h, table } from '../lib/dom.js';
import { confirmDialog, showRefusal } from '../lib/forms.js';
import { recorded, state, words } from '../lib/state.js';

/**
 * Drafts (policy versions, reorganization plans) awaiting a second administrator, as `list()`
 * finds them: `{ id, draftedBy, at }`. Each is previewed before it is confirmed; the drafter's own
 * confirmation is refused by the API, and said so.
 */
export async function pendingDrafts({ list, preview, confirm, testId }) {
  const element = h('div', { id: `${testId}-drafts` });
  const out = h('div', { id: `${testId}-confirm-result`, 'aria-live': 'polite' });
  const reload = async () => {
    const waiting = await list();
    element.replaceChildren(
      h('h2', { class: 'h5' }, words.t('drafts')),
      waiting.length === 0
        ? h('p', { class: 'text-body-secondary' }, words.t('queueEmpty'))
        : table(
            [words.t('draftId'), words.t('draftedBy'), words.t('when'), words.t('actions')],
            waiting.map((draft) =>
              h(
                'tr',
                { 'data-draft': draft.id },
                h('td', {}, draft.id),
                h('td', {}, draft.draftedBy),
                h('td', { class: 'text-nowrap' }, draft.at),
                h(
                  'td',
                  { class: 'd-flex flex-wrap gap-2' },
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'btn btn-sm btn-outline-primary',
                      'data-preview': draft.id,
                      onclick: async () => {
                        try {
                          out.replaceChildren(await preview(draft.id));
                        } catch (error) {
                          showRefusal(error, out);
                        }
                      },
                    },
                    words.t('preview'),
                  ),
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'btn btn-sm btn-danger',
                      'data-confirm': draft.id,
                      onclick: async () => {
                        const rows = [
                          [words.t('draftId'), draft.id],
                          [words.t('draftedBy'), draft.draftedBy],
                          [words.t('confirm'), state.user.username],
                        ];
                        if (!(await confirmDialog(words.t('confirmDraft'), rows, { danger: true }))) return;
                        try {
                          out.replaceChildren(alertBox('info', words.t('loading')));
                          out.replaceChildren(await confirm(draft.id));
                          recorded();
                          await reload();
                        } catch (error) {
                          showRefusal(error, out);
                        }
                      },
                    },
                    words.t('confirm'),
                  ),
                ),
              ),
            ),
          ),
      out,
    );
  };
  await reload();
  return { element, reload };
}
