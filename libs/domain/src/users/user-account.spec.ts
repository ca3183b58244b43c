import { deciderSpec } from '../testing/decider.fixture.js';
import {
  decide,
  evolve,
  initialUserAccount,
  requireIndependentConfirmer,
  requireSecondFactorOffered,
  type UserAccount,
  type UserAccountEvent,
} from './user-account.js';

const spec = deciderSpec({ decide, evolve, initialState: initialUserAccount });
const account = (events: readonly UserAccountEvent[]): UserAccount => events.reduce(evolve, initialUserAccount);

const bootstrap: UserAccountEvent = { type: 'UserRegistered', data: { username: 'admin', fullName: 'Admin', roles: ['administrator'], by: 'system' } };
const quanDrafted: UserAccountEvent = {
  type: 'AdministratorAccountDrafted',
  data: { username: 'quan', fullName: 'Quân', roles: ['administrator'], by: 'admin' },
};
const lan: UserAccountEvent = { type: 'UserRegistered', data: { username: 'lan', fullName: 'Lan', roles: ['clerk'], by: 'admin' } };
const cuong: UserAccountEvent = { type: 'UserRegistered', data: { username: 'cuong', fullName: 'Cường', roles: ['finance'], by: 'admin' } };
const enabled: UserAccountEvent = { type: 'SecondFactorEnabled', data: { by: 'cuong' } };

describe('user accounts', () => {
  it('registers an account at once, but one holding the administrator role only as a draft for another administrator', () => {
    spec
      .given([])
      .when({ type: 'RegisterUser', data: { username: 'lan', fullName: 'Lan', roles: ['clerk'], by: 'admin', operator: false } })
      .then([lan]);
    spec
      .given([])
      .when({ type: 'RegisterUser', data: { username: 'quan', fullName: 'Quân', roles: ['administrator'], by: 'admin', operator: false } })
      .then([quanDrafted]);
    spec
      .given([])
      .when({ type: 'RegisterUser', data: { username: 'admin', fullName: 'Admin', roles: ['administrator'], by: 'system', operator: true } })
      .then([bootstrap]);
    spec
      .given([lan])
      .when({ type: 'RegisterUser', data: { username: 'lan', fullName: 'Lan', roles: ['clerk'], by: 'admin', operator: false } })
      .thenThrows({ rule: 'UsernameTaken', field: 'username' });
    spec
      .given([])
      .when({ type: 'RegisterUser', data: { username: 'operator', fullName: 'x', roles: ['clerk'], by: 'admin', operator: false } })
      .thenThrows({ rule: 'InvalidInput', field: 'username' });
  });

  it('confirms an administrator by anyone but who drafted it or the account itself, once', () => {
    expect(account([quanDrafted])).toMatchObject({ status: 'awaiting-confirmation', roles: [] });
    spec
      .given([quanDrafted])
      .when({ type: 'ConfirmAdministratorRole', data: { by: 'admin' } })
      .thenThrows({ rule: 'ApprovingOwnRequest' });
    const confirmed: UserAccountEvent = { type: 'AdministratorRoleConfirmed', data: { by: 'operator' } };
    spec
      .given([quanDrafted])
      .when({ type: 'ConfirmAdministratorRole', data: { by: 'operator' } })
      .then([confirmed]);
    spec
      .given([quanDrafted, confirmed])
      .when({ type: 'ConfirmAdministratorRole', data: { by: 'minh' } })
      .then([]);
    expect(account([quanDrafted, confirmed])).toMatchObject({ status: 'active', roles: ['administrator'], confirmedBy: 'operator' });
  });

  it('drafts a grant of the administrator role; other changes of roles are in force at once and withdraw a grant', () => {
    const grant: UserAccountEvent = { type: 'AdministratorRoleGrantDrafted', data: { roles: ['clerk', 'administrator'], by: 'admin' } };
    spec
      .given([lan])
      .when({ type: 'ChangeRoles', data: { roles: ['clerk', 'administrator'], by: 'admin' } })
      .then([grant]);
    expect(account([lan, grant])).toMatchObject({ roles: ['clerk'], awaiting: { roles: ['clerk', 'administrator'], by: 'admin' } });
    spec
      .given([lan, grant])
      .when({ type: 'ConfirmAdministratorRole', data: { by: 'lan' } })
      .thenThrows({ rule: 'ApprovingOwnRequest' });
    const changed: UserAccountEvent = { type: 'RolesChanged', data: { roles: ['approver'], by: 'admin' } };
    spec
      .given([lan, grant])
      .when({ type: 'ChangeRoles', data: { roles: ['approver'], by: 'admin' } })
      .then([changed]);
    expect(account([lan, grant, changed])).not.toHaveProperty('awaiting');
    spec
      .given([lan])
      .when({ type: 'ChangeRoles', data: { roles: ['clerk'], by: 'admin' } })
      .then([]);
    spec
      .given([lan])
      .when({ type: 'ChangeRoles', data: { roles: ['approver'], by: 'lan' } })
      .thenThrows({ rule: 'OwnAccount' });
  });

  it('ends older tokens on a new password or a disabling; an administrator’s password is reset only by the operator', () => {
    const reset: UserAccountEvent = { type: 'PasswordReset', data: { by: 'admin' } };
    const disabled: UserAccountEvent = { type: 'UserDisabled', data: { by: 'admin', reason: 'left the office' } };
    spec
      .given([lan])
      .when({ type: 'ResetPassword', data: { by: 'admin', operator: false } })
      .then([reset]);
    spec
      .given([lan])
      .when({ type: 'DisableUser', data: { by: 'admin', reason: 'left the office' } })
      .then([disabled]);
    expect(account([lan, reset, disabled])).toMatchObject({ status: 'disabled', credentialVersion: 2 });
    spec
      .given([lan, disabled])
      .when({ type: 'EnableUser', data: { by: 'admin' } })
      .then([{ type: 'UserEnabled', data: { by: 'admin' } }]);
    spec
      .given([lan, disabled])
      .when({ type: 'ChangeOwnPassword', data: { by: 'lan' } })
      .thenThrows({ rule: 'AwaitingConfirmation' });
    spec
      .given([bootstrap])
      .when({ type: 'ResetPassword', data: { by: 'quan', operator: false } })
      .thenThrows({ rule: 'AdministratorResetByOperator' });
    spec
      .given([bootstrap])
      .when({ type: 'ResetPassword', data: { by: 'operator', operator: true } })
      .then([{ type: 'PasswordReset', data: { by: 'operator' } }]);
  });

  it('takes no account made by the drafter, nor the drafter’s maker, as the second pair of eyes until a third confirmed it', () => {
    const puppet = account([{ type: 'UserRegistered', data: { username: 'puppet', fullName: 'P', roles: ['administrator'], by: 'admin' } }]);
    const admin = account([bootstrap]);
    expect(() => requireIndependentConfirmer(puppet, admin)).toThrow(expect.objectContaining({ rule: 'ConfirmerNotIndependent' }));
    expect(() => requireIndependentConfirmer(admin, puppet)).toThrow(expect.objectContaining({ rule: 'ConfirmerNotIndependent' }));
    expect(() => requireIndependentConfirmer(admin, admin)).toThrow(expect.objectContaining({ rule: 'ApprovingOwnRequest' }));
    const quan = account([quanDrafted, { type: 'AdministratorRoleConfirmed', data: { by: 'minh' } }]);
    expect(() => requireIndependentConfirmer(quan, admin)).not.toThrow();
    expect(() => requireIndependentConfirmer(admin, quan)).not.toThrow();
  });

  it('lets administrators and finance enrol a second factor of their own, once, and keeps it through a password reset or a change of roles', () => {
    spec
      .given([cuong])
      .when({ type: 'EnableSecondFactor', data: { by: 'cuong' } })
      .then([enabled]);
    spec
      .given([bootstrap])
      .when({ type: 'EnableSecondFactor', data: { by: 'admin' } })
      .then([{ type: 'SecondFactorEnabled', data: { by: 'admin' } }]);
    spec
      .given([lan])
      .when({ type: 'EnableSecondFactor', data: { by: 'lan' } })
      .thenThrows({ rule: 'SecondFactorNotOffered' });
    spec
      .given([cuong])
      .when({ type: 'EnableSecondFactor', data: { by: 'admin' } })
      .thenThrows({ rule: 'OwnAccount' });
    spec
      .given([cuong, enabled])
      .when({ type: 'EnableSecondFactor', data: { by: 'cuong' } })
      .thenThrows({ rule: 'SecondFactorAlreadyEnabled' });
    // An administrator's account awaiting confirmation holds no role yet.
    expect(() => requireSecondFactorOffered(account([quanDrafted]), 'quan')).toThrow(expect.objectContaining({ rule: 'SecondFactorNotOffered' }));
    expect(() => requireSecondFactorOffered(initialUserAccount, 'nobody')).toThrow(expect.objectContaining({ rule: 'NoSuchUser' }));
    const reset: UserAccountEvent = { type: 'PasswordReset', data: { by: 'admin' } };
    const demoted: UserAccountEvent = { type: 'RolesChanged', data: { roles: ['clerk'], by: 'admin' } };
    expect(account([cuong, enabled, reset, demoted])).toMatchObject({ secondFactor: true, credentialVersion: 1 });
  });

  it('turns a second factor off by its holder with a code, or by someone else for them; each an audited fact', () => {
    spec
      .given([cuong, enabled])
      .when({ type: 'DisableSecondFactor', data: { by: 'cuong', reason: 'new phone', withCode: true } })
      .then([{ type: 'SecondFactorDisabled', data: { by: 'cuong', reason: 'new phone' } }]);
    spec
      .given([cuong, enabled])
      .when({ type: 'DisableSecondFactor', data: { by: 'cuong', reason: 'new phone', withCode: false } })
      .thenThrows({ rule: 'OwnAccount' });
    const lostPhone: UserAccountEvent = { type: 'SecondFactorDisabled', data: { by: 'admin', reason: 'lost phone' } };
    spec
      .given([cuong, enabled])
      .when({ type: 'DisableSecondFactor', data: { by: 'admin', reason: 'lost phone', withCode: false } })
      .then([lostPhone]);
    spec
      .given([cuong, enabled, lostPhone])
      .when({ type: 'DisableSecondFactor', data: { by: 'admin', reason: 'lost phone', withCode: false } })
      .then([]);
    expect(account([cuong, enabled, lostPhone])).toMatchObject({ secondFactor: false });
    spec
      .given([cuong, enabled, lostPhone])
      .when({ type: 'EnableSecondFactor', data: { by: 'cuong' } })
      .then([enabled]);
  });
});
