import { RuleViolated } from '../rule-violated.js';

/**
 * A user account and its life cycle, as facts an auditor can read: who registered whom with
 * which roles, who confirmed an administrator, who changed roles, reset a password, disabled or
 * enabled an account. Passwords themselves are not facts of the log (they are kept, hashed, where
 * they can be replaced and erased); only that one was changed, and by whom.
 *
 * The administrator role is the one that confirms other people's retroactive changes, so one
 * person must not be able to give it to a second account of their own: an account holding it, or
 * a grant of it, is drafted by one administrator and confirmed by another (or by the operator of
 * the server, for the first ones).
 */
export const ADMINISTRATOR = 'administrator';

/**
 * The roles offered a second factor (a TOTP code after the password): those whose stolen password
 * would cost the most, the administrators of accounts and the finance staff who pay.
 */
export const SECOND_FACTOR_ROLES: readonly string[] = [ADMINISTRATOR, 'finance'];

/** Names that stand for the system itself in the log (start-up, the operator's CLI), never for an account. */
export const RESERVED_USERNAMES: readonly string[] = ['system', 'operator'];

export type UserAccountEvent =
  | {
      readonly type: 'UserRegistered';
      readonly data: { readonly username: string; readonly fullName: string; readonly roles: readonly string[]; readonly by: string };
    }
  /** An account holding the administrator role, which signs in once another administrator confirms it. */
  | {
      readonly type: 'AdministratorAccountDrafted';
      readonly data: { readonly username: string; readonly fullName: string; readonly roles: readonly string[]; readonly by: string };
    }
  /** Roles adding the administrator role to an account, in force once another administrator confirms them. */
  | { readonly type: 'AdministratorRoleGrantDrafted'; readonly data: { readonly roles: readonly string[]; readonly by: string } }
  | { readonly type: 'AdministratorRoleConfirmed'; readonly data: { readonly by: string } }
  | { readonly type: 'RolesChanged'; readonly data: { readonly roles: readonly string[]; readonly by: string } }
  | { readonly type: 'PasswordChanged'; readonly data: { readonly by: string } }
  | { readonly type: 'PasswordReset'; readonly data: { readonly by: string } }
  | { readonly type: 'UserDisabled'; readonly data: { readonly by: string; readonly reason: string } }
  | { readonly type: 'UserEnabled'; readonly data: { readonly by: string } }
  /** The holder confirmed an authenticator with one of its codes: signing in asks for a code from now on. The secret is no fact of the log. */
  | { readonly type: 'SecondFactorEnabled'; readonly data: { readonly by: string } }
  /** Signing in no longer asks for a code: turned off by the holder (with a code), or by an administrator (a lost phone). */
  | { readonly type: 'SecondFactorDisabled'; readonly data: { readonly by: string; readonly reason: string } };

/** `operator`: the command comes from the server's start-up or its operator, not from a signed-in user. */
export type UserAccountCommand =
  | {
      readonly type: 'RegisterUser';
      readonly data: {
        readonly username: string;
        readonly fullName: string;
        readonly roles: readonly string[];
        readonly by: string;
        readonly operator: boolean;
      };
    }
  | { readonly type: 'ConfirmAdministratorRole'; readonly data: { readonly by: string } }
  | { readonly type: 'ChangeRoles'; readonly data: { readonly roles: readonly string[]; readonly by: string } }
  | { readonly type: 'ChangeOwnPassword'; readonly data: { readonly by: string } }
  | { readonly type: 'ResetPassword'; readonly data: { readonly by: string; readonly operator: boolean } }
  | { readonly type: 'DisableUser'; readonly data: { readonly by: string; readonly reason: string } }
  | { readonly type: 'EnableUser'; readonly data: { readonly by: string } }
  | { readonly type: 'EnableSecondFactor'; readonly data: { readonly by: string } }
  /** `withCode`: the holder proved they hold the authenticator; anyone else turns it off only for another's account. */
  | { readonly type: 'DisableSecondFactor'; readonly data: { readonly by: string; readonly reason: string; readonly withCode: boolean } };

export type UserAccount =
  | { readonly status: 'none' }
  | {
      /** `awaiting-confirmation`: an administrator's account not yet confirmed, which cannot sign in. */
      readonly status: 'awaiting-confirmation' | 'active' | 'disabled';
      readonly username: string;
      readonly fullName: string;
      /** The roles in force (none while the account awaits confirmation). */
      readonly roles: readonly string[];
      readonly createdBy: string;
      /** Who confirmed the administrator role (another administrator, or the operator). */
      readonly confirmedBy?: string;
      /** Roles drafted with the administrator role, awaiting confirmation, and who drafted them. */
      readonly awaiting?: { readonly roles: readonly string[]; readonly by: string };
      /** Raised by each new password and each disabling: tokens issued under an older version no longer hold. */
      readonly credentialVersion: number;
      /** Signing in asks for a TOTP code besides the password. */
      readonly secondFactor: boolean;
    };

export const initialUserAccount: UserAccount = { status: 'none' };

export type UserAccountRule =
  | 'UsernameTaken'
  | 'NoSuchUser'
  | 'ApprovingOwnRequest'
  | 'ConfirmerNotIndependent'
  | 'OwnAccount'
  | 'AwaitingConfirmation'
  | 'AdministratorResetByOperator'
  | 'SecondFactorNotOffered'
  | 'SecondFactorAlreadyEnabled'
  | 'InvalidInput';

export function userStreamId(username: string): string {
  return `user-${username}`;
}

const refused = (rule: UserAccountRule, message: string, field?: string) => new RuleViolated<UserAccountRule>(rule, message, field);

export function evolve(state: UserAccount, event: UserAccountEvent): UserAccount {
  switch (event.type) {
    case 'UserRegistered':
      return {
        status: 'active',
        username: event.data.username,
        fullName: event.data.fullName,
        roles: event.data.roles,
        createdBy: event.data.by,
        credentialVersion: 0,
        secondFactor: false,
      };
    case 'AdministratorAccountDrafted':
      return {
        status: 'awaiting-confirmation',
        username: event.data.username,
        fullName: event.data.fullName,
        roles: [],
        createdBy: event.data.by,
        awaiting: { roles: event.data.roles, by: event.data.by },
        credentialVersion: 0,
        secondFactor: false,
      };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'AdministratorRoleGrantDrafted':
      return { ...state, awaiting: { roles: event.data.roles, by: event.data.by } };
    case 'AdministratorRoleConfirmed': {
      const { awaiting, ...rest } = state;
      return {
        ...rest,
        status: state.status === 'awaiting-confirmation' ? 'active' : state.status,
        roles: awaiting?.roles ?? state.roles,
        confirmedBy: event.data.by,
      };
    }
    case 'RolesChanged': {
      // A change of roles decided since withdraws a grant still awaiting confirmation.
      const { awaiting: _withdrawn, ...rest } = state;
      return { ...rest, roles: event.data.roles };
    }
    case 'PasswordChanged':
    case 'PasswordReset':
      return { ...state, credentialVersion: state.credentialVersion + 1 };
    case 'UserDisabled':
      return { ...state, status: 'disabled', credentialVersion: state.credentialVersion + 1 };
    case 'UserEnabled':
      return { ...state, status: 'active' };
    case 'SecondFactorEnabled':
      return { ...state, secondFactor: true };
    case 'SecondFactorDisabled':
      return { ...state, secondFactor: false };
  }
}

const holdsAdministrator = (roles: readonly string[]) => roles.includes(ADMINISTRATOR);
const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((role) => b.includes(role));

export function decide(command: UserAccountCommand, state: UserAccount): UserAccountEvent[] {
  if (command.type === 'RegisterUser') {
    const { username, fullName, roles, by, operator } = command.data;
    if (RESERVED_USERNAMES.includes(username)) throw refused('InvalidInput', `${username} names the system in the log and cannot be an account`, 'username');
    if (roles.length === 0) throw refused('InvalidInput', 'an account needs at least one role', 'roles');
    if (state.status !== 'none') throw refused('UsernameTaken', `user ${username} already exists`, 'username');
    const data = { username, fullName, roles: [...roles], by };
    return [holdsAdministrator(roles) && !operator ? { type: 'AdministratorAccountDrafted', data } : { type: 'UserRegistered', data }];
  }
  if (state.status === 'none') throw refused('NoSuchUser', 'no such user');
  const { by } = command.data;
  switch (command.type) {
    case 'ConfirmAdministratorRole': {
      if (!state.awaiting) return [];
      if (by === state.awaiting.by)
        throw refused('ApprovingOwnRequest', `${by} drafted the administrator role of ${state.username} and cannot also confirm it`);
      if (by === state.username) throw refused('ApprovingOwnRequest', `${by} cannot confirm their own administrator role`);
      return [{ type: 'AdministratorRoleConfirmed', data: { by } }];
    }
    case 'ChangeRoles': {
      const { roles } = command.data;
      if (by === state.username) throw refused('OwnAccount', 'nobody changes their own roles: ask another administrator', 'roles');
      if (state.status === 'awaiting-confirmation') throw refused('AwaitingConfirmation', `${state.username} awaits the confirmation of their account`);
      if (roles.length === 0) throw refused('InvalidInput', 'an account needs at least one role (disable it instead)', 'roles');
      if (sameRoles(roles, state.awaiting?.roles ?? state.roles)) return [];
      const adds = holdsAdministrator(roles) && !holdsAdministrator(state.roles);
      return [adds ? { type: 'AdministratorRoleGrantDrafted', data: { roles: [...roles], by } } : { type: 'RolesChanged', data: { roles: [...roles], by } }];
    }
    case 'ChangeOwnPassword':
      if (state.status !== 'active') throw refused('AwaitingConfirmation', `${state.username} cannot sign in`);
      return [{ type: 'PasswordChanged', data: { by } }];
    case 'ResetPassword':
      if (by === state.username) throw refused('OwnAccount', 'change your own password with your current one (POST /auth/password)');
      // Whoever sets an administrator's password can sign in as them and be the second administrator themselves.
      if (holdsAdministrator([...state.roles, ...(state.awaiting?.roles ?? [])]) && !command.data.operator) {
        throw refused(
          'AdministratorResetByOperator',
          `${state.username} is an administrator: their password is reset by the operator of the server (npm run cli -- users reset-password)`,
        );
      }
      return [{ type: 'PasswordReset', data: { by } }];
    case 'DisableUser':
      if (by === state.username) throw refused('OwnAccount', 'nobody disables their own account');
      if (state.status === 'awaiting-confirmation')
        throw refused('AwaitingConfirmation', `${state.username} awaits the confirmation of their account and cannot sign in anyway`);
      return state.status === 'disabled' ? [] : [{ type: 'UserDisabled', data: { by, reason: command.data.reason } }];
    case 'EnableUser':
      if (by === state.username) throw refused('OwnAccount', 'nobody enables their own account');
      return state.status === 'disabled' ? [{ type: 'UserEnabled', data: { by } }] : [];
    case 'EnableSecondFactor':
      requireSecondFactorOffered(state, by);
      return [{ type: 'SecondFactorEnabled', data: { by } }];
    case 'DisableSecondFactor':
      // Without a code, a stolen session of the holder's would be enough to remove the factor protecting it.
      if (by === state.username && !command.data.withCode)
        throw refused('OwnAccount', 'turn your own second factor off with one of its codes (POST /auth/second-factor/disable)');
      return state.secondFactor ? [{ type: 'SecondFactorDisabled', data: { by, reason: command.data.reason } }] : [];
  }
}

/**
 * Who may enrol an authenticator on `account`: its holder alone (the secret is shown to whoever
 * enrols), holding a role offered a second factor, and only while none is in force (a new phone
 * replaces the old one by turning the factor off first, an audited fact).
 */
export function requireSecondFactorOffered(account: UserAccount, by: string): void {
  if (account.status === 'none') throw refused('NoSuchUser', 'no such user');
  if (by !== account.username) throw refused('OwnAccount', 'a second factor is enrolled by the account holder, with their own authenticator');
  if (!account.roles.some((role) => SECOND_FACTOR_ROLES.includes(role))) {
    throw refused(
      'SecondFactorNotOffered',
      `a second factor is offered to ${SECOND_FACTOR_ROLES.join(' and ')} accounts; ${account.username} holds ${account.roles.join(', ') || 'no role yet'}`,
    );
  }
  if (account.secondFactor)
    throw refused('SecondFactorAlreadyEnabled', `${account.username} already has a second factor: turn it off first to enrol another authenticator`);
}

/**
 * The second pair of eyes on what `drafter` drafted must be another person's: not the drafter,
 * and neither account created by the other unless another administrator (or the operator) has
 * confirmed it since; otherwise one person could confirm their own drafts with an account they made.
 */
export function requireIndependentConfirmer(confirmer: UserAccount, drafter: UserAccount): void {
  if (confirmer.status === 'none' || drafter.status === 'none') return;
  if (confirmer.username === drafter.username) throw refused('ApprovingOwnRequest', `${confirmer.username} drafted this and cannot also confirm it`);
  const madeBy = (account: typeof confirmer, creator: typeof confirmer) => account.createdBy === creator.username && account.confirmedBy === undefined;
  if (madeBy(drafter, confirmer) || madeBy(confirmer, drafter)) {
    throw refused(
      'ConfirmerNotIndependent',
      `${confirmer.username} and ${drafter.username}: one registered the other, which no other administrator has confirmed since; another administrator must confirm`,
    );
  }
}
