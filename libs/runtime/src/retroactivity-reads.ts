import type pg from 'pg';
import type { RetroactivityReads } from '#application/ports';
import { cappedClaimsOf, claimsServedFrom, councilFlagList, holdersOfTitlesOn, readModelPosition, registerEntries, staysDischargedFrom } from '#read-models';

/** The application's port for retroactive changes, answered by the read models' queries on `pool`. */
export function retroactivityReads(pool: pg.Pool): RetroactivityReads {
  return {
    position: () => readModelPosition(pool),
    staysDischargedFrom: (from, beneficiaryIds) => staysDischargedFrom(pool, from, beneficiaryIds),
    claimsServedFrom: (from, beneficiaryIds) => claimsServedFrom(pool, from, beneficiaryIds),
    registerEntries: (beneficiaryIds) => registerEntries(pool, beneficiaryIds),
    holdersOfTitlesOn: (titles, date) => holdersOfTitlesOn(pool, titles, date),
    cappedClaimsOf: (beneficiaryIds) => cappedClaimsOf(pool, beneficiaryIds),
    councilFlagsOf: (claimIds) => councilFlagList(pool, { claimIds }),
  };
}
