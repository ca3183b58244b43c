import { Admissions, type Claims } from '#domain';
import { ident, type ProjectionTables } from '#projection-runner';
import { domainProjection, type LoggedEventOf } from '../domain-projection.js';
import { idOf, periodsFromLog, yearOf } from '../registers/registers.projection.js';
import { addToBalance, type BalanceEntry, bookMeals } from './balances.js';
import { checkAlerts, receivable, relocate, spend, totalOf } from './budget.js';
import { type Journal, PAYMENT_EVENT_TYPES, type PaymentEvent } from './events.js';
import { lineageFromLog, lineageRow, type Subject, subjectOf } from './lineage.js';
import { personOf, preload } from './preload.js';
import { createPaymentTables, type PaymentTables, type PayoutRow, paymentTables, type Settlement, type SourceRow } from './schema.js';
import { mealPart, sourceOf, unitsOf } from './sources.js';
import { recount } from './tallies.js';

export { codeOf } from './balances.js';
export { BUDGET_ALERT_PERCENTS } from './budget.js';

/** A payout's balance: its beneficiary's, for its year, regime and service date. */
const balanceEntryOf = (payout: PayoutRow): BalanceEntry => ({
  beneficiaryId: payout.beneficiary_id,
  year: payout.year,
  regimeId: payout.regime_id,
  serviceDate: payout.service_date,
});

/** The administrative unit a beneficiary belonged to on `date`, as far as the log knows now. */
function unitOn(tables: PaymentTables, beneficiaryId: string, date: string): string {
  let found: { valid_from: string; administrative_unit: string } | undefined;
  for (const unit of tables.units.rowsBy(beneficiaryId)) if (unit.valid_from <= date && (!found || unit.valid_from > found.valid_from)) found = unit;
  return found?.administrative_unit ?? '';
}

/** A recovery's account moves: its status, balance, budget (committed, paid, receivables) and line follow. */
function settle(
  tables: PaymentTables,
  journal: Journal,
  payout: PayoutRow,
  change: { recovered?: number; written_off?: number },
  settlement: Settlement,
): void {
  const recovered = change.recovered ?? 0;
  const writtenOff = change.written_off ?? 0;
  payout.recovered += recovered;
  payout.written_off += writtenOff;
  payout.settlements = [...payout.settlements, settlement];
  const owed = -payout.amount - payout.recovered - payout.written_off;
  payout.status = owed > 0 ? 'owed' : payout.written_off > 0 ? 'written-off' : 'recovered';
  tables.payouts.put(payout);
  addToBalance(tables.balances, journal, balanceEntryOf(payout), {
    to_recover: -recovered - writtenOff,
    ...(recovered ? { recovered, paid: -recovered } : {}),
    ...(writtenOff ? { written_off: writtenOff } : {}),
  });
  receivable(tables.totals, payout, { to_recover: -recovered - writtenOff, recovered, written_off: writtenOff });
  spend(tables, journal, payout, recovered + writtenOff, -recovered);
  const line = tables.lines.get({ line_id: payout.line_id });
  if (line && recovered) recount(tables, line, () => (line.paid -= recovered));
}

/** A move known late takes the services after it, already paid or not, to the unit they belong to. */
function unitChanged(tables: PaymentTables, journal: Journal, event: LoggedEventOf<'BeneficiaryEnrolled' | 'BeneficiaryPositionChanged'>): void {
  const beneficiaryId = idOf(event.streamId, 'beneficiary');
  tables.units.put({ beneficiary_id: beneficiaryId, valid_from: event.data.from, administrative_unit: event.data.administrativeUnit });
  for (const line of tables.lines.rowsBy(beneficiaryId)) {
    const unit = unitOn(tables, beneficiaryId, line.service_date);
    if (unit !== line.administrative_unit) {
      relocate(tables, journal, line, line.group_number, unit);
      tables.lines.put(line);
    }
  }
}

/** A correction withdraws what the stay was entitled to; the entitlements that follow it replace it. */
function stayEntitled(
  tables: PaymentTables,
  journal: Journal,
  stay: SourceRow,
  event: LoggedEventOf<'AdmissionDatesCorrected' | 'VisitAllowanceEntitled' | 'MealAllowanceEntitled'>,
): void {
  const { sources, balances } = tables;
  if (event.type !== 'MealAllowanceEntitled' && stay.visit)
    addToBalance(
      balances,
      journal,
      { beneficiaryId: stay.beneficiary_id, year: stay.visit.year, regimeId: 'a', serviceDate: stay.visit.serviceDate },
      { entitled: -stay.visit.amount },
    );
  if (event.type !== 'VisitAllowanceEntitled') bookMeals(balances, journal, stay, 'entitled', -1);
  if (event.type === 'AdmissionDatesCorrected') {
    sources.put(Object.assign(stay, { visit: null, meals: null, admitted_on: event.data.admittedOn, discharged_on: event.data.dischargedOn }));
  } else if (event.type === 'VisitAllowanceEntitled') {
    const visit = { ...event.data, year: yearOf(event.data.serviceDate), basis: event.data.amount };
    sources.put(Object.assign(stay, { visit }));
    addToBalance(
      balances,
      journal,
      { beneficiaryId: stay.beneficiary_id, year: visit.year, regimeId: 'a', serviceDate: visit.serviceDate },
      { entitled: visit.amount },
    );
  } else {
    sources.put(Object.assign(stay, { meals: event.data }));
    bookMeals(balances, journal, stay, 'entitled', 1);
  }
}

type AdjustmentData = LoggedEventOf<'AdjustmentEntitled'>['data'];
/** Claims and stays record adjustments of the same name; the stream tells whose it is. */
const adjustsClaim = (subject: Subject, _data: AdjustmentData): _data is Claims.ClaimAdjustmentData => subject.kind === 'claim';

/** A retroactive change's adjustment: what it settles, the source's entitlement now, the balance, and the line it corrects. */
function adjustmentEntitled(tables: PaymentTables, journal: Journal, subject: Subject, event: LoggedEventOf<'AdjustmentEntitled'>): void {
  const { sources, adjustments, lines } = tables;
  const data = event.data;
  const from = sourceOf(sources, subject.id, subject.kind);
  const year = yearOf(data.serviceDate);
  const next = data.next;
  // A claim's recovery down to nothing names no new group: it stays where it was.
  const nextGroup: number = next.group ?? data.previous.group ?? 0;
  // The entitlement the adjustment settles: the new one, or for a recovery to nothing the one it takes back.
  const mealsBefore = mealPart(from, data.corrects.payoutId)?.segments[0];
  const before =
    subject.kind === 'claim' ? from.approval : data.regimeId === 'a' ? from.visit : mealsBefore && { clause: mealsBefore.clause, basis: mealsBefore.rate };
  const nextBasis: number | undefined = adjustsClaim(subject, data)
    ? data.next.basis
    : data.regimeId === 'a'
      ? data.next.amount
      : data.next.segments?.[0]?.rate;
  const settles =
    next.amount === 0 ? { clause: before?.clause || null, basis: before?.basis ?? null } : { clause: next.clause || null, basis: nextBasis ?? null };
  adjustments.put({
    adjustment_id: data.adjustmentId,
    source_kind: subject.kind,
    source_id: subject.id,
    beneficiary_id: from.beneficiary_id,
    regime_id: data.regimeId,
    year,
    service_date: data.serviceDate,
    cause_kind: data.cause.kind,
    cause_id: data.cause.id,
    corrects_payout_id: data.corrects.payoutId,
    previous_amount: data.previous.amount,
    previous_group: data.previous.group ?? 0,
    next_amount: next.amount,
    next_group: nextGroup,
    difference: data.difference,
    ...settles,
    recorded_by: data.recordedBy,
    approved_by: null,
    global_position: event.globalPosition,
  });
  if (adjustsClaim(subject, data)) {
    sources.put(
      Object.assign(from, {
        approval: from.approval && {
          ...from.approval,
          ...(next.amount > 0 ? { clause: settles.clause ?? '', basis: settles.basis ?? 0 } : {}),
          amount: next.amount,
          group: nextGroup,
          policyVersionId: next.policyVersionId,
        },
      }),
    );
  } else if (data.regimeId === 'a') {
    sources.put(
      Object.assign(from, {
        visit: {
          serviceDate: data.serviceDate,
          group: data.next.group,
          amount: next.amount,
          policyVersionId: next.policyVersionId,
          clause: next.clause,
          year,
          basis: next.amount,
        },
      }),
    );
  } else {
    sources.put(Object.assign(from, { meals: Admissions.mealsAdjusted(from.meals ?? undefined, year, data.next) }));
  }
  addToBalance(
    tables.balances,
    journal,
    { beneficiaryId: from.beneficiary_id, year, regimeId: data.regimeId, serviceDate: data.serviceDate },
    { entitled: data.difference, adjusted: data.difference },
  );
  const line = lines.get({ line_id: data.corrects.payoutId });
  if (line) {
    recount(tables, line, () => {
      relocate(tables, journal, line, nextGroup, line.administrative_unit);
      line.units = unitsOf(sources, line);
    });
  }
}

function claimApproved(tables: PaymentTables, journal: Journal, subject: Subject, event: LoggedEventOf<'ClaimApproved'>): void {
  const data = event.data;
  const claim = sourceOf(tables.sources, subject.id, 'claim');
  const year = claim.service_year!;
  const days = data.segments?.reduce((sum, s) => sum + s.days, 0);
  tables.sources.put(
    Object.assign(claim, {
      decision: 'approved',
      approval: {
        year,
        amount: data.amount,
        clause: data.clause,
        basis: data.basis,
        units: days ?? 1,
        overCap: data.overCap,
        approvedBy: data.approvedBy,
        group: data.group ?? null,
        policyVersionId: data.policyVersionId,
        capped: data.limit?.cap !== undefined,
      },
    }),
  );
  addToBalance(
    tables.balances,
    journal,
    { beneficiaryId: claim.beneficiary_id, year, regimeId: claim.regime_id!, serviceDate: claim.service_date ?? `${year}-12-31` },
    {
      entitled: data.amount,
      approved: data.amount,
      ...(data.limit?.cap !== undefined ? { annual_cap: data.limit.cap, cap_used: data.amount } : {}),
    },
  );
}

/** A payout joins the line it pays (a first payout opens it), is committed in the budget, and a recovery is owed. */
function payoutScheduled(tables: PaymentTables, journal: Journal, event: LoggedEventOf<'PayoutScheduled'>): void {
  const { adjustments, lines, payouts, sources } = tables;
  const data = event.data;
  const adjustment = data.source.kind === 'adjustment' ? adjustments.get({ adjustment_id: data.source.id }) : undefined;
  const from = adjustment ? undefined : sourceOf(sources, data.source.id, data.source.kind);
  const meals = data.regimeId === 'b' ? mealPart(from, data.payoutId) : undefined;
  const stayPart = data.regimeId === 'a' ? from?.visit : meals?.segments[0] && { clause: meals.segments[0].clause, basis: meals.segments[0].rate };
  const lineId: string = adjustment?.corrects_payout_id ?? data.payoutId;
  const line =
    lines.get({ line_id: lineId }) ??
    lines.put({
      line_id: lineId,
      source_kind: adjustment?.source_kind ?? data.source.kind,
      source_id: adjustment?.source_id ?? data.source.id,
      regime_id: data.regimeId,
      regime_code: data.regimeCode,
      beneficiary_id: data.beneficiaryId ?? null,
      person: personOf({ beneficiary_id: data.beneficiaryId ?? null, payee: data.payee }),
      year: yearOf(data.serviceDate),
      service_date: data.serviceDate,
      group_number: data.group ?? 0,
      administrative_unit: data.beneficiaryId ? unitOn(tables, data.beneficiaryId, data.serviceDate) : 'staff',
      units: 0,
      paid: 0,
      payout_ids: [],
    });
  const payout = payouts.put({
    payout_id: data.payoutId,
    line_id: lineId,
    source_kind: data.source.kind,
    source_id: data.source.id,
    beneficiary_id: data.beneficiaryId ?? null,
    payee: data.payee,
    regime_id: data.regimeId,
    regime_code: data.regimeCode,
    group_number: line.group_number,
    administrative_unit: line.administrative_unit,
    year: yearOf(data.serviceDate),
    service_date: data.serviceDate,
    amount: data.amount,
    // An adjustment pays a difference of money, not of days or visits.
    units: adjustment ? 0 : data.regimeId === 'b' ? (meals?.days ?? 0) : (from?.approval?.units ?? 1),
    policy_version_id: data.policyVersionId,
    clause: adjustment ? adjustment.clause : (stayPart?.clause ?? from?.approval?.clause ?? null),
    basis: adjustment ? adjustment.basis : (stayPart?.basis ?? from?.approval?.basis ?? null),
    over_cap: from?.approval?.overCap ?? 0,
    approved_by: adjustment?.approved_by ?? from?.approval?.approvedBy.join(', ') ?? null,
    paid_reference: null,
    paid_on: null,
    reversed_on: null,
    reversal_reason: null,
    recovered: 0,
    written_off: 0,
    offset_amount: 0,
    settlements: [],
    status: data.amount < 0 ? 'owed' : 'scheduled',
  });
  recount(tables, line, () => {
    if (!line.payout_ids.includes(payout.payout_id)) line.payout_ids = [...line.payout_ids, payout.payout_id];
    line.units = unitsOf(sources, line);
  });
  spend(tables, journal, payout, payout.amount, 0);
  if (payout.amount < 0) {
    addToBalance(tables.balances, journal, balanceEntryOf(payout), { to_recover: -payout.amount });
    receivable(tables.totals, payout, { to_recover: -payout.amount, recovered: 0, written_off: 0 });
  }
}

function payoutPaid(tables: PaymentTables, journal: Journal, subject: Subject, event: LoggedEventOf<'PayoutPaid'>): void {
  const data = event.data;
  const before = tables.payouts.get({ payout_id: subject.id });
  if (!before) return;
  // A recovery "paid" before receivables existed came back in full.
  if (before.amount < 0) {
    settle(
      tables,
      journal,
      before,
      { recovered: -before.amount - before.recovered },
      { kind: 'refund', amount: -before.amount, on: data.paidOn, by: data.by, reference: data.reference },
    );
    return;
  }
  const offsets = data.offsets ?? [];
  const payout = tables.payouts.put({
    ...before,
    status: 'paid',
    paid_reference: data.reference,
    paid_on: data.paidOn,
    offset_amount: offsets.reduce((sum, taken) => sum + taken.amount, 0),
    settlements: offsets.map((taken) => ({ kind: 'offset', amount: taken.amount, on: data.paidOn, by: data.by, payout_id: taken.recoveryPayoutId })),
  });
  addToBalance(tables.balances, journal, balanceEntryOf(payout), { paid: payout.amount });
  spend(tables, journal, payout, -payout.amount, payout.amount);
  const line = tables.lines.get({ line_id: payout.line_id });
  if (line) recount(tables, line, () => (line.paid += payout.amount));
}

function payoutReversed(tables: PaymentTables, journal: Journal, subject: Subject, event: LoggedEventOf<'PayoutReversed'>): void {
  const before = tables.payouts.get({ payout_id: subject.id });
  if (!before) return;
  const wasPaid = before.status === 'paid';
  const payout = tables.payouts.put({ ...before, status: 'reversed', reversed_on: event.data.on, reversal_reason: event.data.reason });
  const capped = tables.balances.get({ beneficiary_id: payout.beneficiary_id ?? '', year: payout.year, regime_id: payout.regime_id })?.annual_cap != null;
  addToBalance(tables.balances, journal, balanceEntryOf(payout), {
    reversed: payout.amount,
    ...(wasPaid ? { paid: -payout.amount } : {}),
    ...(capped ? { cap_used: -payout.amount } : {}),
    ...(payout.amount < 0 ? { to_recover: payout.amount } : {}),
  });
  if (payout.amount < 0) receivable(tables.totals, payout, { to_recover: payout.amount, recovered: 0, written_off: 0 });
  spend(tables, journal, payout, wasPaid ? 0 : -payout.amount, wasPaid ? -payout.amount : 0);
  const line = tables.lines.get({ line_id: payout.line_id });
  if (line && wasPaid) recount(tables, line, () => (line.paid -= payout.amount));
}

/** Applies one event to the keyed tables and the history tables of `journal`. */
function applyEvent(tables: PaymentTables, journal: Journal, event: PaymentEvent, subject: Subject | undefined): void {
  const { sources, adjustments } = tables;
  switch (event.type) {
    case 'BeneficiaryEnrolled':
    case 'BeneficiaryPositionChanged':
      unitChanged(tables, journal, event);
      break;
    case 'AdmissionRecorded':
      sources.put(
        Object.assign(sourceOf(sources, subject!.id, 'admission'), {
          beneficiary_id: event.data.beneficiaryId,
          admitted_on: event.data.admittedOn,
          requested_by: event.data.recordedBy,
        }),
      );
      break;
    case 'DischargeRecorded':
      sources.put(Object.assign(sourceOf(sources, subject!.id, 'admission'), { discharged_on: event.data.dischargedOn }));
      break;
    case 'AdmissionDatesCorrected':
    case 'VisitAllowanceEntitled':
    case 'MealAllowanceEntitled':
      stayEntitled(tables, journal, sourceOf(sources, subject!.id, 'admission'), event);
      break;
    case 'AdmissionAllowancesApproved':
    case 'AdmissionAllowancesRejected': {
      const stay = sources.put(
        Object.assign(sourceOf(sources, subject!.id, 'admission'), { decision: event.type === 'AdmissionAllowancesApproved' ? 'approved' : 'rejected' }),
      );
      if (event.type === 'AdmissionAllowancesRejected') break;
      if (stay.visit)
        addToBalance(
          tables.balances,
          journal,
          { beneficiaryId: stay.beneficiary_id, year: stay.visit.year, regimeId: 'a', serviceDate: stay.visit.serviceDate },
          { approved: stay.visit.amount },
        );
      bookMeals(tables.balances, journal, stay, 'approved', 1);
      break;
    }
    case 'AdjustmentEntitled':
      adjustmentEntitled(tables, journal, subject!, event);
      break;
    case 'AdjustmentsApproved':
      for (const id of event.data.adjustmentIds) {
        const adjustment = adjustments.update({ adjustment_id: id }, () => ({ approved_by: event.data.by }));
        if (adjustment)
          addToBalance(
            tables.balances,
            journal,
            { beneficiaryId: adjustment.beneficiary_id, year: adjustment.year, regimeId: adjustment.regime_id, serviceDate: adjustment.service_date },
            { approved: adjustment.difference },
          );
      }
      break;
    case 'ClaimRequested':
      sources.put(
        Object.assign(sourceOf(sources, subject!.id, 'claim'), {
          beneficiary_id: event.data.beneficiaryId ?? null,
          regime_id: event.data.regimeId,
          service_year: yearOf(event.data.serviceDate),
          service_date: event.data.serviceDate,
          facts: event.data,
          requested_by: event.data.requestedBy,
        }),
      );
      break;
    case 'OverCapApprovalProposed':
      sources.put(Object.assign(sourceOf(sources, subject!.id, 'claim'), { over_cap_proposal: { by: event.data.by, reason: event.data.reason } }));
      break;
    case 'ClaimRejected':
      sources.put(Object.assign(sourceOf(sources, subject!.id, 'claim'), { decision: 'rejected' }));
      break;
    case 'ClaimApproved':
      claimApproved(tables, journal, subject!, event);
      break;
    case 'PayoutScheduled':
      payoutScheduled(tables, journal, event);
      break;
    case 'RecoveryRefunded':
    case 'RecoveryOffset':
    case 'RecoveryWrittenOff': {
      const payout = tables.payouts.get({ payout_id: subject!.id });
      if (!payout) break;
      const by = event.data.by;
      if (event.type === 'RecoveryWrittenOff')
        settle(
          tables,
          journal,
          payout,
          { written_off: event.data.amount },
          { kind: 'write-off', amount: event.data.amount, on: event.data.on, by, reason: event.data.reason },
        );
      else if (event.type === 'RecoveryRefunded')
        settle(
          tables,
          journal,
          payout,
          { recovered: event.data.amount },
          { kind: 'refund', amount: event.data.amount, on: event.data.receivedOn, by, reference: event.data.reference },
        );
      else
        settle(
          tables,
          journal,
          payout,
          { recovered: event.data.amount },
          { kind: 'offset', amount: event.data.amount, on: event.data.on, by, payout_id: event.data.againstPayoutId },
        );
      break;
    }
    case 'PayoutPaid':
      payoutPaid(tables, journal, subject!, event);
      break;
    case 'PayoutReversed':
      payoutReversed(tables, journal, subject!, event);
      break;
    case 'AnnualBudgetAllocated': {
      const sum = totalOf(tables.totals, event.data.year, event.data.regimeCode);
      tables.totals.put(Object.assign(sum, { allocated: event.data.amount, decision_number: event.data.decisionNumber }));
      checkAlerts(tables, event.data.year, event.data.regimeCode, event.globalPosition);
      break;
    }
  }
}

/**
 * The money side, in one read model so that its tables always agree with each other: payouts with
 * their lineage (payout history for auditors), per-beneficiary balances by year and regime, and
 * the annual budget by year × regime × group × administrative unit with its allocation and the
 * 80 % / 100 % alerts. A stay's meals are counted in each calendar year of the stay, each year's
 * part a line of its own (in the discharge year, whole, for meals entitled before they were counted
 * by year), its visit allowance in the year of its admission.
 */
export const payments = domainProjection({
  name: 'payments',
  // 2: the year-end tallies (paid by group and regime, paid people); 3: lines (a stay's regime or a
  // claim, with all its payouts) counted by net paid, adjustments with their clause and basis, and a
  // policy version's draft and confirmation in the lineage; 4: recoveries as receivables (owed,
  // recovered by refund or offset, written off) on payouts, balances and budget totals, and the
  // council's decisions on claims over a lowered cap in the lineage; 5: a stay's meals per calendar year;
  // 6: what waits for an approver (claims decided or proposed over the cap, who recorded each stay or claim);
  // 7: payouts found by payment reference (a payment's list), which a merge left at 6; 8: budget entries
  // name their line, person and days (the monthly and quarterly reports count from them).
  version: 8,
  eventTypes: PAYMENT_EVENT_TYPES,
  fromLog: {
    tables: ['lineage', 'units'],
    // The lineage shows each event's data as recorded.
    keepsStoredData: true,
    async fill(sql, schema, log) {
      await lineageFromLog(sql, schema, log);
      await periodsFromLog(sql, `${ident(schema)}.units`, log, ['BeneficiaryEnrolled', 'BeneficiaryPositionChanged'], {
        administrative_unit: "data->>'administrativeUnit'",
      });
    },
  },
  createTables: createPaymentTables,

  async apply(projectionTables: ProjectionTables, events: readonly PaymentEvent[]): Promise<void> {
    const tables = paymentTables(projectionTables);
    if (!projectionTables.inMemory) await preload(tables, events);
    // A rebuild has the database fill the lineage: its rows (and the metadata they read) are not built here.
    const writesLineage = projectionTables.writes('lineage');
    for (const event of events) {
      const subject = subjectOf(event);
      if (subject && writesLineage) projectionTables.append('lineage', lineageRow(event, subject));
      applyEvent(tables, { at: event, append: (table, row) => projectionTables.append(table, row) }, event, subject);
    }
  },
});
