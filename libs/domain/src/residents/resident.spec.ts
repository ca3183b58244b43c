import { readFileSync } from 'node:fs';
import { policyInForce } from '../policy/entitlement.js';
import { parsePolicyVersion } from '../policy/parse-policy-version.js';
import type { UniversalCheckVersion } from '../policy/policy-version.js';
import { deciderSpec } from '../testing/decider.fixture.js';
import { type CheckContext, decide, evolve, initialResident, type ResidentEvent } from './resident.js';

const spec = deciderSpec({ decide, evolve, initialState: initialResident });
const lamDong = parsePolicyVersion(JSON.parse(readFileSync('policies/lam-dong/universal-health-check-2026.json', 'utf8'))) as UniversalCheckVersion;

/** Đà Lạt's ward and Đam Rông 1 are under the province; Cao Lộc is Lạng Sơn's. */
const PARENTS: Record<string, string> = { 'Phường Xuân Hương - Đà Lạt': 'Tỉnh Lâm Đồng', 'Xã Đam Rông 1': 'Tỉnh Lâm Đồng', 'Huyện Cao Lộc': 'Tỉnh Lạng Sơn' };
const context: CheckContext = {
  policyOn: (date) => policyInForce([lamDong], date),
  placeOn: (unit) => (PARENTS[unit] ? [unit, PARENTS[unit]] : [unit]),
  today: '2026-08-15',
};

const registered = (residenceUnit = 'Phường Xuân Hương - Đà Lạt', dateOfBirth = '1981-03-02'): ResidentEvent => ({
  type: 'ResidentRegistered',
  data: {
    residentId: 'r-1',
    fullName: 'K’Bria Ha Mai',
    dateOfBirth,
    nationalId: `068${dateOfBirth < '2000' ? '1' : '3'}${dateOfBirth.slice(2, 4)}001234`,
    residenceUnit,
    from: '2025-07-01',
  },
});
const check = (checkId: string, checkedOn: string, checkKind = 'sang-loc') => ({
  type: 'RecordHealthCheck' as const,
  data: { checkId, facility: 'Trạm Y tế phường Xuân Hương', checkedOn, checkKind, recordedBy: 'lan' },
  context,
});
const recorded = (
  checkId: string,
  checkedOn: string,
  amount = 450000,
  ageBand = '40-59',
  administrativeUnit = 'Phường Xuân Hương - Đà Lạt',
): ResidentEvent => ({
  type: 'HealthCheckRecorded',
  data: {
    checkId,
    residentId: 'r-1',
    facility: 'Trạm Y tế phường Xuân Hương',
    checkedOn,
    checkKind: 'sang-loc',
    ageBand,
    administrativeUnit,
    amount,
    programme: 'universal-health-check',
    policyVersionId: 'lam-dong/kham-suc-khoe-toan-dan/2026',
    clause: lamDong.check.clause,
    recordedBy: 'lan',
  },
});

describe('resident', () => {
  it('registers a resident, checking the national id against the date of birth', () => {
    const { data } = registered() as Extract<ResidentEvent, { type: 'ResidentRegistered' }>;
    const registration = { ...data, fullName: data.fullName!, dateOfBirth: data.dateOfBirth!, nationalId: data.nationalId! };
    spec.given([]).when({ type: 'RegisterResident', data: registration, today: '2026-08-15' }).then([registered()]);
    spec
      .given([])
      .when({ type: 'RegisterResident', data: { ...registration, nationalId: '068199001234' }, today: '2026-08-15' })
      .thenThrows({ rule: 'InvalidInput', field: 'nationalId' });
    spec
      .given([registered()])
      .when({ type: 'RegisterResident', data: registration, today: '2026-08-15' })
      .thenThrows({ rule: 'AlreadyRegistered', field: 'nationalId' });
  });

  it('records a check with the fee payable to the facility, the unit it counts under, the version and its clause', () => {
    spec
      .given([registered()])
      .when(check('c-1', '2026-07-15'))
      .then([recorded('c-1', '2026-07-15')]);
  });

  it('refuses a second check in the calendar year, but not in the next, nor once the first was cancelled', () => {
    spec
      .given([registered(), recorded('c-1', '2026-07-15')])
      .when(check('c-2', '2026-08-01'))
      .thenThrows({ rule: 'YearlyLimitReached', field: 'checkedOn' });
    spec
      .given([registered(), recorded('c-1', '2025-12-31')])
      .when(check('c-2', '2026-08-01'))
      .then([recorded('c-2', '2026-08-01')]);
    spec
      .given([
        registered(),
        recorded('c-1', '2026-07-15'),
        { type: 'HealthCheckCancelled', data: { checkId: 'c-1', reason: 'recorded for the wrong person', cancelledBy: 'lan' } },
      ])
      .when(check('c-2', '2026-08-01'))
      .then([recorded('c-2', '2026-08-01')]);
  });

  it('records the same check again as nothing new', () => {
    spec
      .given([registered(), recorded('c-1', '2026-07-15')])
      .when(check('c-1', '2026-07-15'))
      .then([]);
  });

  it('lets a priority area in before the rest, by where the resident lived on the day', () => {
    spec.given([registered()]).when(check('c-1', '2026-03-10')).thenThrows({ rule: 'NotYetEligible', field: 'checkedOn' });
    spec
      .given([registered('Xã Đam Rông 1')])
      .when(check('c-1', '2026-03-10'))
      .then([recorded('c-1', '2026-03-10', 450000, '40-59', 'Xã Đam Rông 1')]);
    // Moved to Đà Lạt in June: a check in August counts there, and it is open to all by then.
    spec
      .given([registered('Xã Đam Rông 1'), { type: 'ResidenceChanged', data: { residenceUnit: 'Phường Xuân Hương - Đà Lạt', from: '2026-06-01' } }])
      .when(check('c-1', '2026-03-10'))
      .then([recorded('c-1', '2026-03-10', 450000, '40-59', 'Xã Đam Rông 1')]);
  });

  it('refuses residents outside the province, too young, a kind their band is not offered, dates ahead or before the record', () => {
    spec
      .given([registered('Huyện Cao Lộc')])
      .when(check('c-1', '2026-07-15'))
      .thenThrows({ rule: 'ResidenceOutOfScope', field: 'residentId' });
    spec
      .given([registered(undefined, '2022-04-01')])
      .when(check('c-1', '2026-07-15', 'dinh-ky'))
      .thenThrows({ rule: 'AgeNotCovered' });
    spec
      .given([registered(undefined, '2015-04-01')])
      .when(check('c-1', '2026-07-15', 'sang-loc'))
      .thenThrows({ rule: 'CheckKindNotOffered', field: 'checkKind' });
    spec.given([registered()]).when(check('c-1', '2026-08-16')).thenThrows({ rule: 'DateInFuture', field: 'checkedOn' });
    spec.given([registered()]).when(check('c-1', '2025-06-30')).thenThrows({ rule: 'BeforeRegistration', field: 'checkedOn' });
    spec.given([registered()]).when(check('c-1', '2026-13-01')).thenThrows({ rule: 'InvalidInput', field: 'checkedOn' });
  });

  it('cancels a check recorded wrongly, once, with its reason; never one that is not the resident’s', () => {
    const cancel = (checkId: string, reason: string) => ({ type: 'CancelHealthCheck' as const, data: { checkId, reason, cancelledBy: 'lan' } });
    const cancelled: ResidentEvent = { type: 'HealthCheckCancelled', data: { checkId: 'c-1', reason: 'wrong person', cancelledBy: 'lan' } };
    spec
      .given([registered(), recorded('c-1', '2026-07-15')])
      .when(cancel('c-1', 'wrong person'))
      .then([cancelled]);
    spec
      .given([registered(), recorded('c-1', '2026-07-15'), cancelled])
      .when(cancel('c-1', 'wrong person'))
      .then([]);
    spec
      .given([registered(), recorded('c-1', '2026-07-15'), cancelled])
      .when(cancel('c-1', 'another reason'))
      .thenThrows({ rule: 'CheckAlreadyCancelled' });
    spec.given([registered()]).when(cancel('c-9', 'wrong person')).thenThrows({ rule: 'NoSuchCheck', field: 'checkId' });
  });

  it('refuses a check once the person’s data was erased: no age band can be told', () => {
    spec
      .given([registered(), { type: 'ResidentPersonalDataErased', data: { reason: 'request of the person' } }])
      .when(check('c-1', '2026-07-15'))
      .thenThrows({ rule: 'PersonalDataErased' });
  });
});
