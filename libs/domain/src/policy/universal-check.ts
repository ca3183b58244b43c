import { ownEntry } from '../own-entry.js';
import type { AgeBand, UniversalCheckVersion } from './policy-version.js';

/** Whole years of age on `date` (YYYY-MM-DD): one more on each birthday (for 29 February, from 1 March in other years). */
export function ageOn(dateOfBirth: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return date.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}

/** The band an age falls in, if any: the bands are disjoint (the parser sees to it). */
export function ageBandOf(version: UniversalCheckVersion, age: number): AgeBand | undefined {
  return version.check.ageBands.find((band) => band.fromAge <= age && (band.toAge === undefined || age <= band.toAge));
}

/** Why a check is not paid under the version in force; `field` is the input that decided it. */
export type CheckRefusal = {
  readonly payable: false;
  readonly rule:
    'NoPolicyInForce' | 'UnknownCheckKind' | 'ResidenceOutOfScope' | 'NotYetEligible' | 'AgeNotCovered' | 'CheckKindNotOffered' | 'YearlyLimitReached';
  readonly message: string;
  readonly field: string;
};

/** A check paid to the facility, with what it rests on, so that an auditor can explain every VND. */
export interface CheckPayable {
  readonly payable: true;
  readonly amount: number;
  readonly ageBand: string;
  readonly policyVersionId: string;
  readonly programme: string;
  readonly clause: string;
}

export interface CheckFacts {
  readonly checkedOn: string;
  readonly checkKind: string;
  readonly dateOfBirth: string;
  /**
   * Where the resident lived on the day of the check: the unit that carried their residence then
   * (after any merger), followed by the units above it, nearest first.
   */
  readonly place: readonly string[];
  /** Checks of the resident already paid in the calendar year of this one, under any version. */
  readonly checksThisYear: number;
}

/**
 * Whether a check is paid, and how much, under the version in force on its date: the residence
 * lies within the programme's units; the day is on or after its area's start (a priority area's,
 * or everyone else's); the age falls in a band that is offered this kind of check; the calendar
 * year's checks are not used up.
 */
export function universalCheck(version: UniversalCheckVersion | undefined, facts: CheckFacts): CheckPayable | CheckRefusal {
  const refused = (rule: CheckRefusal['rule'], message: string, field: string): CheckRefusal => ({ payable: false, rule, message, field });
  if (!version) return refused('NoPolicyInForce', `no universal-check version is in force on ${facts.checkedOn}`, 'checkedOn');
  const rules = version.check;
  if (!rules.checkKinds.some((kind) => kind.id === facts.checkKind))
    return refused(
      'UnknownCheckKind',
      `${facts.checkKind} is not a kind of check of ${version.id} (${rules.checkKinds.map((kind) => kind.id).join(', ')})`,
      'checkKind',
    );
  if (!facts.place.some((unit) => rules.residenceWithin.includes(unit)))
    return refused(
      'ResidenceOutOfScope',
      `the resident lived in ${facts.place[0] ?? 'no unit'} on ${facts.checkedOn}, outside ${rules.residenceWithin.join(', ')}`,
      'residentId',
    );
  // The nearest priority area decides: a commune named on its own overrides its district's date.
  const area = facts.place.map((unit) => rules.priorityAreas.find((priority) => priority.unit === unit)).find((found) => found !== undefined);
  const eligibleFrom = area?.eligibleFrom ?? rules.eligibleFrom;
  if (facts.checkedOn < eligibleFrom)
    return refused('NotYetEligible', `residents of ${facts.place[0]} are eligible from ${eligibleFrom}, not on ${facts.checkedOn}`, 'checkedOn');
  const age = ageOn(facts.dateOfBirth, facts.checkedOn);
  const band = ageBandOf(version, age);
  if (!band) return refused('AgeNotCovered', `an age of ${age} on ${facts.checkedOn} is in no age band of ${version.id}`, 'checkedOn');
  const fees = ownEntry(rules.feeByAgeBand, band.id);
  const amount = fees && ownEntry(fees, facts.checkKind);
  if (amount === undefined) return refused('CheckKindNotOffered', `${facts.checkKind} is not offered to age band ${band.id}`, 'checkKind');
  if (facts.checksThisYear >= rules.timesPerCalendarYear)
    return refused(
      'YearlyLimitReached',
      `the resident has had ${facts.checksThisYear} check(s) in ${facts.checkedOn.slice(0, 4)}, all that ${version.id} pays for a year`,
      'checkedOn',
    );
  return { payable: true, amount, ageBand: band.id, policyVersionId: version.id, programme: version.programme, clause: rules.clause };
}
