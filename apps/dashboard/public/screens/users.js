import { api, post } from '../lib/api.js';
import { badge, h, heading, table } from '../lib/dom.js';
import { actionButton, commandForm, panel } from '../lib/forms.js';
import { recorded, words } from '../lib/state.js';

const ROLES = ['clerk', 'council-member', 'approver', 'finance', 'auditor', 'administrator'];
const roleOptions = () => ROLES.map((role) => [role, words.code('role', role)]);

/** User accounts: create, change roles, disable or enable, reset a password, confirm an administrator. */
export async function usersView() {
  const list = h('div');
  const chosen = h('div');
  const load = async () => {
    const users = await api('/users');
    list.replaceChildren(
      table(
        [words.t('username'), words.t('fullName'), words.t('roles'), words.t('status'), words.t('actions')],
        users.map((user) =>
          h(
            'tr',
            { 'data-user': user.username },
            h('td', {}, user.username),
            h('td', {}, user.fullName),
            h('td', {}, user.roles.map((role) => words.code('role', role)).join(', ')),
            h('td', {}, badge(user.status)),
            h(
              'td',
              {},
              h(
                'button',
                { type: 'button', class: 'btn btn-sm btn-outline-primary', onclick: () => chosen.replaceChildren(userActions(user, after)) },
                words.t('open'),
              ),
            ),
          ),
        ),
        { id: 'users-table' },
      ),
    );
  };
  const after = async () => {
    recorded();
    await load();
    return words.t('done');
  };
  await load();
  return h(
    'section',
    {},
    heading(words.t('usersTitle')),
    list,
    chosen,
    panel(
      words.t('newUser'),
      commandForm({
        id: 'new-user-form',
        title: words.t('newUser'),
        fields: [
          { name: 'username', label: words.t('username'), rule: 'username' },
          { name: 'fullName', label: words.t('fullName') },
          { name: 'roles', label: words.t('roles'), type: 'checkboxes', options: roleOptions(), col: 'col-12' },
          { name: 'password', label: words.t('password'), type: 'password', rule: 'password' },
        ],
        send: (values) => post('/users', values),
        done: after,
      }),
      { 'data-action': 'new-user' },
    ),
  );
}

function userActions(user, after) {
  const path = `/users/${encodeURIComponent(user.username)}`;
  const out = h('div');
  return h(
    'div',
    { class: 'card card-body my-3', id: 'user-actions' },
    h('h2', { class: 'h5' }, `${user.fullName} (${user.username})`),
    out,
    user.status === 'awaiting-confirmation'
      ? actionButton({
          label: words.t('confirmAccount'),
          rows: [[words.t('username'), user.username]],
          out,
          act: async () => (await post(`${path}/confirmation`), (out.textContent = await after())),
        })
      : null,
    panel(
      words.t('changeRoles'),
      commandForm({
        id: 'roles-form',
        title: `${words.t('changeRoles')}: ${user.fullName} (${user.username})`,
        fields: [{ name: 'roles', label: words.t('roles'), type: 'checkboxes', options: roleOptions(), value: user.roles, col: 'col-12' }],
        send: (values) => post(`${path}/roles`, values),
        done: after,
      }),
    ),
    panel(
      words.t('resetPassword'),
      commandForm({
        id: 'password-form',
        title: `${words.t('resetPassword')}: ${user.fullName} (${user.username})`,
        fields: [{ name: 'password', label: words.t('newPassword'), type: 'password', rule: 'password' }],
        send: (values) => post(`${path}/password`, values),
        done: after,
      }),
    ),
    user.status === 'disabled'
      ? actionButton({
          label: words.t('enable'),
          rows: [[words.t('username'), user.username]],
          out,
          act: async () => (await post(`${path}/enable`), (out.textContent = await after())),
        })
      : panel(
          words.t('disable'),
          commandForm({
            id: 'disable-form',
            title: `${words.t('disable')}: ${user.fullName} (${user.username})`,
            danger: true,
            fields: [{ name: 'reason', label: words.t('reason') }],
            send: (values) => post(`${path}/disable`, values),
            done: after,
          }),
        ),
  );
}
