import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RuleViolated, UserAccounts as Accounts } from '#domain';
import { type Actor, type CommandContext, EventSourcing, NotFound, requireRole, type Role, ROLES } from '../event-sourcing.js';
import { APPLICATION_CONFIG, type ApplicationConfig, SECOND_FACTOR_SECRETS, type SecretSealing } from '../ports/index.js';
import { hashPassword } from './credentials.js';
import { newTotpSecret, totpUri } from './totp.js';
import { type Session, USERNAME, Users } from './users.js';

const accountAggregate = { evolve: Accounts.evolve, initial: Accounts.initialUserAccount };
type Account = Exclude<Accounts.UserAccount, { status: 'none' }>;

/** The start-up's own identity in the log; `operator`: the person running the server's CLI. */
const SYSTEM: Actor = { username: 'system', roles: ['administrator'] };
const OPERATOR: Actor = { username: 'operator', roles: ['administrator'] };

function requirePassword(password: string, field: string): void {
  if (password.length < 12) throw new RuleViolated('InvalidInput', `${field} must be at least 12 characters`, field);
}

const wrongCode = () =>
  new RuleViolated('WrongSecondFactorCode', 'not the authenticator’s code now, or one used already (or no enrolment was started)', 'code');

function requireRoles(roles: readonly string[]): void {
  if (roles.length === 0 || roles.some((role) => !(ROLES as readonly string[]).includes(role)))
    throw new RuleViolated('InvalidInput', `roles must be some of ${ROLES.join(', ')}`, 'roles');
}

/** An account's state from its stream (none for a name never registered). */
export async function accountOf(sourcing: EventSourcing, username: string): Promise<Accounts.UserAccount> {
  return (await sourcing.load(Accounts.userStreamId(username), accountAggregate.evolve, accountAggregate.initial)).state;
}

/**
 * Refuses `confirmer` as the second administrator on what `drafter` drafted when they are one
 * person, or one made the other's account and no one else confirmed it (see the domain rule).
 * Every confirmation by a second administrator passes here: plans, retroactive policy versions,
 * administrator accounts and grants.
 */
export async function requireIndependentConfirmer(sourcing: EventSourcing, confirmer: string, drafter: string): Promise<void> {
  Accounts.requireIndependentConfirmer(await accountOf(sourcing, confirmer), await accountOf(sourcing, drafter));
}

/**
 * The life cycle of user accounts: registration (an administrator's account drafted for another
 * administrator to confirm), roles, passwords, disabling. Each change is first a fact on the
 * account's stream, then the row signing in reads (see `Credentials`).
 */
@Injectable()
export class UserAccounts {
  constructor(
    @Inject(APPLICATION_CONFIG) private readonly config: ApplicationConfig,
    @Inject(SECOND_FACTOR_SECRETS) private readonly secondFactorSecrets: SecretSealing,
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(Users) private readonly users: Users,
  ) {}

  /**
   * On start (the schema migrated): every account the table holds has its stream (accounts registered
   * before the log kept them are recorded as registered by whoever created them), and the
   * administrator of `ADMIN_USERNAME` exists; returns the password when it was generated.
   */
  async ensureAdministrator(): Promise<{ username: string; generatedPassword?: string } | undefined> {
    const rows = await this.users.credentials.all();
    const streams = await this.sourcing.store.readStreams(rows.map((row) => Accounts.userStreamId(row.username)));
    for (const row of rows.filter((each) => streams.get(Accounts.userStreamId(each.username))!.length === 0)) {
      const registered: Accounts.UserAccountEvent = {
        type: 'UserRegistered',
        data: { username: row.username, fullName: row.full_name, roles: row.roles, by: row.created_by },
      };
      await this.sourcing.append({ streamId: Accounts.userStreamId(row.username), expected: 'no_stream' }, [registered], {
        actor: SYSTEM,
        commandId: `user-recorded-${row.username}`,
      });
    }
    const { adminUsername, adminPassword } = this.config.auth;
    if (rows.some((row) => row.username === adminUsername)) return undefined;
    const password = adminPassword ?? randomBytes(12).toString('base64url');
    await this.registerAs(
      { username: adminUsername, fullName: 'Administrator', roles: ['administrator'] },
      password,
      { actor: SYSTEM, commandId: `user-bootstrap-${adminUsername}` },
      true,
    );
    return { username: adminUsername, ...(adminPassword ? {} : { generatedPassword: password }) };
  }

  /** The demo province's people, with one shared password, when they do not exist yet. */
  async ensureUsers(users: readonly { username: string; roles: readonly Role[] }[], password: string): Promise<void> {
    for (const user of users) {
      if ((await accountOf(this.sourcing, user.username)).status !== 'none') continue;
      await this.registerAs(
        { username: user.username, fullName: user.username, roles: [...user.roles] },
        password,
        { actor: SYSTEM, commandId: `user-demo-${user.username}` },
        true,
      );
    }
  }

  /** Registers an account; one holding the administrator role awaits another administrator's confirmation. */
  register(user: { username: string; fullName: string; roles: readonly Role[] }, password: string, context: CommandContext): Promise<Account> {
    requireRole(context.actor, 'manageUsers', 'registering users');
    return this.registerAs(user, password, context, false);
  }

  /** Confirms an administrator's account, or a grant of the role, drafted by another administrator. */
  async confirm(username: string, context: CommandContext): Promise<Account> {
    requireRole(context.actor, 'manageUsers', 'confirming an administrator');
    return this.decide(username, context, async (account) => {
      if (account.status !== 'none' && account.awaiting) await requireIndependentConfirmer(this.sourcing, context.actor.username, account.awaiting.by);
      return { type: 'ConfirmAdministratorRole', data: { by: context.actor.username } };
    });
  }

  /** The operator's confirmation (CLI), for the administrators before there are two to confirm each other. */
  confirmByOperator(username: string): Promise<Account> {
    return this.decide(username, { actor: OPERATOR, commandId: `operator-confirms-${username}-${randomUUID()}` }, () => ({
      type: 'ConfirmAdministratorRole',
      data: { by: OPERATOR.username },
    }));
  }

  changeRoles(username: string, roles: readonly Role[], context: CommandContext): Promise<Account> {
    requireRole(context.actor, 'manageUsers', 'changing roles');
    requireRoles(roles);
    return this.decide(username, context, () => ({ type: 'ChangeRoles', data: { roles, by: context.actor.username } }));
  }

  async resetPassword(username: string, password: string, context: CommandContext): Promise<Account> {
    requireRole(context.actor, 'manageUsers', 'resetting a password');
    requirePassword(password, 'password');
    return this.decide(
      username,
      context,
      () => ({ type: 'ResetPassword', data: { by: context.actor.username, operator: false } }),
      await hashPassword(password),
    );
  }

  /** The operator's reset (CLI), the only one for an administrator; returns the generated password. */
  async resetPasswordByOperator(username: string): Promise<string> {
    const password = randomBytes(12).toString('base64url');
    await this.decide(
      username,
      { actor: OPERATOR, commandId: `operator-resets-${username}-${randomUUID()}` },
      () => ({ type: 'ResetPassword', data: { by: OPERATOR.username, operator: true } }),
      await hashPassword(password),
    );
    return password;
  }

  disable(username: string, reason: string, context: CommandContext): Promise<Account> {
    requireRole(context.actor, 'manageUsers', 'disabling users');
    return this.decide(username, context, () => ({ type: 'DisableUser', data: { by: context.actor.username, reason } }));
  }

  enable(username: string, context: CommandContext): Promise<Account> {
    requireRole(context.actor, 'manageUsers', 'enabling users');
    return this.decide(username, context, () => ({ type: 'EnableUser', data: { by: context.actor.username } }));
  }

  /** A user's own new password, given their current one (checked and throttled as a sign-in); returns a new session, older tokens end. */
  async changeOwnPassword(currentPassword: string, newPassword: string, address: string, context: CommandContext): Promise<Session> {
    const { username } = context.actor;
    if (!(await this.users.checkPassword(username, currentPassword, address)))
      throw new RuleViolated('WrongPassword', 'the current password is wrong', 'currentPassword');
    requirePassword(newPassword, 'newPassword');
    await this.decide(username, context, () => ({ type: 'ChangeOwnPassword', data: { by: username } }), await hashPassword(newPassword));
    return this.users.session((await this.users.credentials.find(username))!);
  }

  /**
   * Starts the signed-in user's enrolment of an authenticator: a new secret, kept sealed and
   * awaiting confirmation (signing in does not ask for it yet), shown this once. Nothing is
   * recorded: only the confirmation is a fact.
   */
  async startSecondFactor(context: CommandContext): Promise<{ secret: string; uri: string }> {
    const { username } = context.actor;
    Accounts.requireSecondFactorOffered(await accountOf(this.sourcing, username), username);
    const secret = newTotpSecret();
    if (!(await this.users.credentials.keepPendingSecondFactor(username, this.secondFactorSecrets.seal(secret, username)))) {
      throw new RuleViolated('SecondFactorAlreadyEnabled', `${username}’s second factor came into force meanwhile`);
    }
    return { secret, uri: totpUri(secret, username) };
  }

  /** Confirms the authenticator being enrolled with one of its codes (throttled as a sign-in): signing in asks for a code from now on. */
  async confirmSecondFactor(code: string, address: string, context: CommandContext): Promise<Account> {
    const { username } = context.actor;
    if (!(await this.users.checkCode(username, code, address))) throw wrongCode();
    return this.decide(username, context, () => ({ type: 'EnableSecondFactor', data: { by: username } }));
  }

  /** The holder turns their second factor off, proving with one of its codes that they hold it. */
  async disableOwnSecondFactor(code: string, reason: string, address: string, context: CommandContext): Promise<Account> {
    const { username } = context.actor;
    if (!(await this.users.checkCode(username, code, address))) throw wrongCode();
    return this.decide(username, context, () => ({ type: 'DisableSecondFactor', data: { by: username, reason, withCode: true } }));
  }

  /** Turns another user's second factor off (a lost phone), the reason kept in the fact; they sign in with their password alone until they enrol again. */
  disableSecondFactor(username: string, reason: string, context: CommandContext): Promise<Account> {
    requireRole(context.actor, 'manageUsers', 'turning off a second factor');
    return this.decide(username, context, () => ({ type: 'DisableSecondFactor', data: { by: context.actor.username, reason, withCode: false } }));
  }

  /** The operator's (CLI), for an administrator who lost their authenticator while no other administrator can turn it off. */
  disableSecondFactorByOperator(username: string): Promise<Account> {
    return this.disableSecondFactor(username, 'turned off by the operator of the server', {
      actor: OPERATOR,
      commandId: `operator-disables-second-factor-${username}-${randomUUID()}`,
    });
  }

  private async registerAs(
    user: { username: string; fullName: string; roles: readonly Role[] },
    password: string,
    context: CommandContext,
    operator: boolean,
  ): Promise<Account> {
    if (!USERNAME.test(user.username))
      throw new RuleViolated('InvalidInput', 'username must be 2–40 lower-case letters, digits, dots, dashes or underscores', 'username');
    requireRoles(user.roles);
    requirePassword(password, 'password');
    const command: Accounts.UserAccountCommand = { type: 'RegisterUser', data: { ...user, by: context.actor.username, operator } };
    return this.decide(user.username, context, () => command, await hashPassword(password));
  }

  /** One decision on the account's stream, then its row; a retry of the same command only repairs the row. */
  private async decide(
    username: string,
    context: CommandContext,
    command: (account: Accounts.UserAccount) => Accounts.UserAccountCommand | Promise<Accounts.UserAccountCommand>,
    passwordHash?: string,
  ): Promise<Account> {
    const { state } = await this.sourcing.decideOn(
      Accounts.userStreamId(username),
      accountAggregate,
      async (account) => {
        const decided = await command(account);
        if (account.status === 'none' && decided.type !== 'RegisterUser') throw new NotFound(`no user ${username}`);
        return Accounts.decide(decided, account);
      },
      context,
    );
    if (state.status === 'none') throw new NotFound(`no user ${username}`);
    await this.users.credentials.save(state, passwordHash);
    return state;
  }
}
