import { api, query } from '../lib/api.js';
import { alertBox, h, table } from '../lib/dom.js';
import { confirmDialog, showRefusal } from '../lib/forms.js';
import { recorded, state, words } from '../lib/state.js';

/**
 * Drafts (policy versions, reorganization plans) that await a second administrator: those the
 * audit trail shows drafted and not yet confirmed. Each is previewed before it is confirmed; the
 * drafter's own confirmation is refused by the API, and said so.
 */
export async function pendingDrafts({ drafted, confirmed, preview, confirm, testId }) {
  const element = h('div', { id: `${testId}-drafts` });
  const out = h('div', { id: `${testId}-confirm-result`, 'aria-live': 'polite' });
  const reload = async () => {
    const [draftSteps, confirmedSteps] = await Promise.all([
      api(`/audit/trail?${query({ step: drafted, limit: 200 })}`),
      api(`/audit/trail?${query({ step: confirmed, limit: 200 })}`),
    ]);
    const done = new Set(confirmedSteps.items.map((step) => step.subjectId));
    const waiting = draftSteps.items.filter((step) => !done.has(step.subjectId));
    element.replaceChildren(
      h('h2', { class: 'h5' }, words.t('drafts')),
      waiting.length === 0
        ? h('p', { class: 'text-body-secondary' }, words.t('queueEmpty'))
        : table(
            [words.t('draftId'), words.t('draftedBy'), words.t('when'), words.t('actions')],
            waiting.map((step) =>
              h(
                'tr',
                { 'data-draft': step.subjectId },
                h('td', {}, step.subjectId),
                h('td', {}, step.actor),
                h('td', { class: 'text-nowrap' }, words.time(step.recordedAt)),
                h(
                  'td',
                  { class: 'd-flex flex-wrap gap-2' },
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'btn btn-sm btn-outline-primary',
                      'data-preview': step.subjectId,
                      onclick: async () => {
                        try {
                          out.replaceChildren(await preview(step.subjectId));
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
                      'data-confirm': step.subjectId,
                      onclick: async () => {
                        const rows = [
                          [words.t('draftId'), step.subjectId],
                          [words.t('draftedBy'), step.actor],
                          [words.t('confirm'), state.user.username],
                        ];
                        if (!(await confirmDialog(words.t('confirmDraft'), rows, { danger: true }))) return;
                        try {
                          out.replaceChildren(alertBox('info', words.t('loading')));
                          out.replaceChildren(await confirm(step.subjectId));
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
