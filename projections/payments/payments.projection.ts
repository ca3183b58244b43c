import type { ClientBase } from 'pg';
import { Admissions } from '#domain';
import type { StoredEvent } from '#event-store';
import { ident, type LogTable, type Projection, type ProjectionTables, RECORDED_AT_MS } from '#projections';
import { idOf, periodsFromLog, yearOf } from '../registers/registers.projection.js';

/** The alert levels of the annual budget: share of the allocation committed or paid. */
export const BUDGET_ALERT_PERCENTS = [80, 100] as const;

type PayoutRow = {
  payout_id: string;
  /** The line it pays: its own id for a first payout, the corrected payout's for an adjustment's. */
  line_id: string;
  source_kind: string;
  source_id: string;
  beneficiary_id: string | null;
  payee: string;
  regime_id: string;
  regime_code: string;
  group_number: number;
  administrative_unit: string;
  year: number;
  service_date: string;
  amount: number;
  units: number;
  policy_version_id: string;
  clause: string | null;
  basis: number | null;
  over_cap: number;
  approved_by: string | null;
  status: string;
  paid_reference: string | null;
  paid_on: string | null;
  reversed_on: string | null;
  reversal_reason: string | null;
  /** A recovery's money back (refunds and offsets) and what was given up; a payment's part settled by offsetting recoveries. */
  recovered: number;
  written_off: number;
  offset_amount: number;
  /** How a recovery was settled, or which recoveries a payment offset: refunds, offsets (named on both payouts), write-off. */
  settlements: Settlement[];
};

type Settlement = { kind: 'refund' | 'offset' | 'write-off'; amount: number; on: string; by: string; reference?: string; payout_id?: string; reason?: string };

type BalanceRow = {
  beneficiary_id: string;
  year: number;
  regime_id: string;
  regime_code: string;
  entitled: number;
  approved: number;
  paid: number;
  reversed: number;
  /** What adjustments added (top-ups) or took back (recoveries): already counted in `entitled`. */
  adjusted: number;
  annual_cap: number | null;
  cap_used: number;
  /** Recoveries: still owed, come back (refunds and offsets, already taken off `paid`), written off. */
  to_recover: number;
  recovered: number;
  written_off: number;
};

type AdjustmentRow = {
  adjustment_id: string;
  /** What it adjusts: an admission (a stay's allowance) or a claim. */
  source_kind: string;
  source_id: string;
  beneficiary_id: string | null;
  regime_id: string;
  year: number;
  service_date: string;
  cause_kind: string;
  cause_id: string;
  corrects_payout_id: string;
  previous_amount: number;
  previous_group: number;
  next_amount: number;
  next_group: number;
  difference: number;
  /** The rule the adjusted entitlement rests on, and its rate or ceiling: what the adjustment's payout settles. */
  clause: string | null;
  basis: number | null;
  recorded_by: string;
  approved_by: string | null;
  global_position: bigint | string;
};

type TotalRow = {
  year: number;
  regime_code: string;
  allocated: number | null;
  decision_number: string | null;
  committed: number;
  paid: number;
  to_recover: number;
  recovered: number;
  written_off: number;
};
/** What recoveries of a year and regime owe, brought back and wrote off. */
const RECEIVABLES = ['to_recover', 'recovered', 'written_off'] as const;
type AlertRow = { year: number; regime_code: string; percent: number; used: number; allocated: number; global_position: string };
/** Paid payouts for services in a year, per regime and group: the year-end report's lines. */
type PaidByGroupRow = { year: number; regime_code: string; group_number: number; payouts: number; people: number; units: number; amount: number };
/** People paid under a regime in a year, whatever their group (someone reclassified mid-year counts once). */
type PaidByRegimeRow = { year: number; regime_code: string; people: number };
/** One person's counted lines under a regime in a year, per group: who starts or stops counting in the tallies. */
type PaidPersonRow = { year: number; regime_code: string; person: string; lines_by_group: Record<string, number> };
/**
 * What one stay's regime or one claim is paid: its first payout and every adjustment's payout,
 * which always count together under the group and unit the stay or claim is classified in now.
 * `line_id` is the first payout's id, which adjustments name as the payout they correct.
 */
type LineRow = {
  line_id: string;
  source_kind: string;
  source_id: string;
  regime_id: string;
  regime_code: string;
  beneficiary_id: string | null;
  person: string;
  year: number;
  service_date: string;
  group_number: number;
  administrative_unit: string;
  /** Days for per-day regimes, else 1, of the entitlement as it stands now. */
  units: number;
  /** Net paid over the line's payouts: the report counts the line's people, visits and days only where this is positive. */
  paid: number;
  payout_ids: string[];
};
type UnitRow = { beneficiary_id: string; valid_from: string; administrative_unit: string };
type SpendingRow = { year: number; regime_code: string; group_number: number; administrative_unit: string; committed: number; paid: number };

/** What a payout's source said when it was entitled and approved: for the payout's row and balances. */
type SourceRow = {
  source_id: string;
  kind: string;
  beneficiary_id: string | null;
  regime_id: string | null;
  /** The stay's current entitlements, as the admission stream holds them, so that a recomputation can be previewed from here. */
  visit: { year: number; serviceDate: string; group: number; amount: number; policyVersionId: string; clause: string; basis: number } | null;
  meals: Admissions.MealAllowance | null;
  admitted_on: string | null;
  discharged_on: string | null;
  /** A stay's allowances: approved or rejected, once decided. */
  decision: string | null;
  /** A claim's approval, its amount and group as adjustments left them. */
  approval: {
    year: number;
    amount: number;
    clause: string;
    basis: number;
    units: number;
    overCap: number;
    approvedBy: string[];
    group: number | null;
    policyVersionId: string;
    capped: boolean;
  } | null;
  /** A claim's request, as a recomputation re-assesses it. */
  facts: Record<string, unknown> | null;
  /** Claims: the year of the service date. */
  service_year: number | null;
  service_date: string | null;
};

const MONEY = ['amount', 'basis', 'over_cap', 'recovered', 'written_off', 'offset_amount'] as const;
const TALLIED = ['payouts', 'people', 'units', 'amount'] as const;
const BALANCE_MONEY = ['entitled', 'approved', 'paid', 'reversed', 'adjusted', 'annual_cap', 'cap_used', ...RECEIVABLES] as const;

/** Whom a payout pays, as the year-end report counts people: the beneficiary, or the staff member paid. */
const personOf = (payout: Pick<PayoutRow, 'beneficiary_id' | 'payee'>): string => payout.beneficiary_id ?? payout.payee;
/** A regime id's report letter: "h.fixed" → "h". */
export const codeOf = (regimeId: string): string => regimeId.split('.')[0]!;

const CONSUMED = [
  'BeneficiaryEnrolled',
  'BeneficiaryPositionChanged',
  'AdmissionRecorded',
  'DischargeRecorded',
  'AdmissionDatesCorrected',
  'VisitAllowanceEntitled',
  'MealAllowanceEntitled',
  'AdmissionAllowancesApproved',
  'AdmissionAllowancesRejected',
  'ClaimRequested',
  'OverCapApprovalProposed',
  'ClaimApproved',
  'ClaimRejected',
  'PayoutScheduled',
  'PayoutPaid',
  'PayoutReversed',
  'RecoveryRefunded',
  'RecoveryOffset',
  'RecoveryWrittenOff',
  'AnnualBudgetAllocated',
  'AdjustmentEntitled',
  'AdjustmentsApproved',
  // For the lineage only: the causes an adjustment cites.
  'PolicyVersionDrafted',
  'PolicyVersionConfirmed',
  'PolicyVersionPublished',
  'ReorganizationPlanDrafted',
  'ReorganizationPlanConfirmed',
  'ReorganizationPlanApplied',
  'ClaimOverLoweredCapFlagged',
  'ClaimOverLoweredCapKept',
  'ClaimReducedToLoweredCap',
];

type SubjectKind = 'admission' | 'claim' | 'payout' | 'reorganization' | 'policy-version';
/** The stream categories whose events are steps of a lineage subject of the same name. */
const SUBJECT_STREAMS = ['admission', 'claim', 'payout', 'reorganization'] as const;

/** The policy catalog's events, each a step of the lineage of the version it names (`versionId`, or the version itself). */
const POLICY_VERSION_STEPS = ['PolicyVersionDrafted', 'PolicyVersionConfirmed', 'PolicyVersionPublished'];

/** The subject an event belongs to in the payout lineage: the admission, claim or payout, or a cause of adjustments. */
function subjectOf(event: StoredEvent): { kind: SubjectKind; id: string } | undefined {
  if (POLICY_VERSION_STEPS.includes(event.type)) {
    const data = event.data as { versionId?: string; version?: { id: string } };
    return { kind: 'policy-version', id: data.versionId ?? data.version!.id };
  }
  for (const kind of SUBJECT_STREAMS) if (event.streamId.startsWith(`${kind}-`)) return { kind, id: idOf(event.streamId, kind) };
  return undefined;
}

/** The lineage's rows as the database makes them from the log: `subjectOf` and the row `apply` appends, in SQL. */
async function lineageFromLog(sql: ClientBase, schema: string, log: LogTable): Promise<void> {
  const kinds = SUBJECT_STREAMS.map((kind) => `WHEN starts_with(stream_id, '${kind}-') THEN '${kind}'`).join(' ');
  await sql.query(
    `INSERT INTO ${ident(schema)}.lineage (global_position, subject_kind, subject_id, step, actor, roles, recorded_at, details)
     SELECT global_position, kind, CASE WHEN kind = 'policy-version' THEN COALESCE(data->>'versionId', data->'version'->>'id') ELSE substr(stream_id, length(kind) + 2) END,
            event_type, metadata->>'actor', NULLIF(metadata->'roles', 'null'::jsonb), recorded_at, data
       FROM (SELECT global_position, stream_id, event_type, data, metadata, ${RECORDED_AT_MS} AS recorded_at,
                    CASE WHEN event_type = ANY($3::text[]) THEN 'policy-version' ${kinds} END AS kind
               FROM ${ident(log.table)} WHERE global_position <= $1 AND event_type = ANY($2::text[])) steps
      WHERE kind IS NOT NULL`,
    [log.until.toString(), CONSUMED, POLICY_VERSION_STEPS],
  );
}

/**
 * The money side, in one read model so that its tables always agree with each other: payouts with
 * their lineage (payout history for auditors), per-beneficiary balances by year and regime, and
 * the annual budget by year × regime × group × administrative unit with its allocation and the
 * 80 % / 100 % alerts. A stay's meals are counted in each calendar year of the stay, each year's
 * part a line of its own (in the discharge year, whole, for meals entitled before they were counted
 * by year), its visit allowance in the year of its admission.
 */
export const payments: Projection = {
  name: 'payments',
  // 2: the year-end tallies (paid by group and regime, paid people); 3: lines (a stay's regime or a
  // claim, with all its payouts) counted by net paid, adjustments with their clause and basis, and a
  // policy version's draft and confirmation in the lineage; 4: recoveries as receivables (owed,
  // recovered by refund or offset, written off) on payouts, balances and budget totals, and the
  // council's decisions on claims over a lowered cap in the lineage; 5: a stay's meals per calendar year.
  version: 5,
  eventTypes: CONSUMED,
  fromLog: {
    tables: ['lineage', 'units'],
    // The lineage shows each event's data as recorded.
    keepsStoredData: true,
    async fill(sql, schema, log) {
      await lineageFromLog(sql, schema, log);
      await periodsFromLog(sql, `${ident(schema)}.units`, log, ['BeneficiaryEnrolled', 'BeneficiaryPositionChanged'], { administrative_unit: "data->>'administrativeUnit'" });
    },
  },

  async createTables(sql: ClientBase, schema: string): Promise<void> {
    const s = ident(schema);
    await sql.query(`
      CREATE TABLE ${s}.payouts (
        payout_id text PRIMARY KEY,
        line_id text NOT NULL,
        source_kind text NOT NULL,
        source_id text NOT NULL,
        beneficiary_id text,
        payee text NOT NULL,
        regime_id text NOT NULL,
        regime_code text NOT NULL,
        group_number int NOT NULL,
        administrative_unit text NOT NULL,
        year int NOT NULL,
        service_date text NOT NULL,
        amount bigint NOT NULL,
        units int NOT NULL,
        policy_version_id text NOT NULL,
        clause text,
        basis bigint,
        over_cap bigint NOT NULL,
        approved_by text,
        status text NOT NULL,
        paid_reference text,
        paid_on text,
        reversed_on text,
        reversal_reason text,
        recovered bigint NOT NULL,
        written_off bigint NOT NULL,
        offset_amount bigint NOT NULL,
        settlements jsonb NOT NULL
      );
      CREATE INDEX payouts_by_beneficiary ON ${s}.payouts (beneficiary_id, year);
      CREATE INDEX payouts_by_year ON ${s}.payouts (year, regime_code, group_number);
      CREATE TABLE ${s}.lineage (
        global_position numeric(40, 0) PRIMARY KEY,
        subject_kind text NOT NULL,
        subject_id text NOT NULL,
        step text NOT NULL,
        actor text NOT NULL,
        roles jsonb,
        recorded_at timestamptz NOT NULL,
        details jsonb NOT NULL
      );
      CREATE INDEX lineage_by_subject ON ${s}.lineage (subject_id, global_position);
      CREATE TABLE ${s}.balances (
        beneficiary_id text NOT NULL,
        year int NOT NULL,
        regime_id text NOT NULL,
        regime_code text NOT NULL,
        entitled bigint NOT NULL,
        approved bigint NOT NULL,
        paid bigint NOT NULL,
        reversed bigint NOT NULL,
        adjusted bigint NOT NULL,
        annual_cap bigint,
        cap_used bigint NOT NULL,
        to_recover bigint NOT NULL,
        recovered bigint NOT NULL,
        written_off bigint NOT NULL,
        PRIMARY KEY (beneficiary_id, year, regime_id)
      );
      CREATE TABLE ${s}.budget_totals (
        year int NOT NULL,
        regime_code text NOT NULL,
        allocated bigint,
        decision_number text,
        committed bigint NOT NULL,
        paid bigint NOT NULL,
        to_recover bigint NOT NULL,
        recovered bigint NOT NULL,
        written_off bigint NOT NULL,
        PRIMARY KEY (year, regime_code)
      );
      CREATE TABLE ${s}.budget_spending (
        year int NOT NULL,
        regime_code text NOT NULL,
        group_number int NOT NULL,
        administrative_unit text NOT NULL,
        committed bigint NOT NULL,
        paid bigint NOT NULL,
        PRIMARY KEY (year, regime_code, group_number, administrative_unit)
      );
      CREATE TABLE ${s}.paid_by_group (
        year int NOT NULL,
        regime_code text NOT NULL,
        group_number int NOT NULL,
        payouts int NOT NULL,
        people int NOT NULL,
        units int NOT NULL,
        amount bigint NOT NULL,
        PRIMARY KEY (year, regime_code, group_number)
      );
      CREATE TABLE ${s}.paid_by_regime (
        year int NOT NULL,
        regime_code text NOT NULL,
        people int NOT NULL,
        PRIMARY KEY (year, regime_code)
      );
      CREATE TABLE ${s}.paid_people (
        year int NOT NULL,
        regime_code text NOT NULL,
        person text NOT NULL,
        lines_by_group jsonb NOT NULL,
        PRIMARY KEY (year, regime_code, person)
      );
      CREATE TABLE ${s}.lines (
        line_id text PRIMARY KEY,
        source_kind text NOT NULL,
        source_id text NOT NULL,
        regime_id text NOT NULL,
        regime_code text NOT NULL,
        beneficiary_id text,
        person text NOT NULL,
        year int NOT NULL,
        service_date text NOT NULL,
        group_number int NOT NULL,
        administrative_unit text NOT NULL,
        units int NOT NULL,
        paid bigint NOT NULL,
        payout_ids jsonb NOT NULL
      );
      CREATE INDEX lines_by_beneficiary ON ${s}.lines (beneficiary_id);
      CREATE TABLE ${s}.budget_alerts (
        year int NOT NULL,
        regime_code text NOT NULL,
        percent int NOT NULL,
        used bigint NOT NULL,
        allocated bigint NOT NULL,
        global_position numeric(40, 0) NOT NULL,
        PRIMARY KEY (year, regime_code, percent)
      );
      CREATE TABLE ${s}.sources (
        source_id text PRIMARY KEY,
        kind text NOT NULL,
        beneficiary_id text,
        regime_id text,
        visit jsonb,
        meals jsonb,
        approval jsonb,
        admitted_on text,
        discharged_on text,
        decision text,
        service_year int,
        service_date text,
        facts jsonb
      );
      CREATE INDEX sources_by_beneficiary ON ${s}.sources (beneficiary_id);
      CREATE TABLE ${s}.adjustments (
        adjustment_id text PRIMARY KEY,
        source_kind text NOT NULL,
        source_id text NOT NULL,
        beneficiary_id text,
        regime_id text NOT NULL,
        year int NOT NULL,
        service_date text NOT NULL,
        cause_kind text NOT NULL,
        cause_id text NOT NULL,
        corrects_payout_id text NOT NULL,
        previous_amount bigint NOT NULL,
        previous_group int NOT NULL,
        next_amount bigint NOT NULL,
        next_group int NOT NULL,
        difference bigint NOT NULL,
        clause text,
        basis bigint,
        recorded_by text NOT NULL,
        approved_by text,
        global_position numeric(40, 0) NOT NULL
      );
      CREATE INDEX adjustments_by_cause ON ${s}.adjustments (cause_kind, cause_id);
      -- Every change to a balance and to the budget, with its valid date (service date) and record
      -- time: sums over them answer "as of valid date D" and "as known at time T".
      CREATE TABLE ${s}.balance_entries (
        global_position numeric(40, 0) NOT NULL,
        recorded_at timestamptz NOT NULL,
        beneficiary_id text NOT NULL,
        year int NOT NULL,
        regime_id text NOT NULL,
        service_date text NOT NULL,
        measure text NOT NULL,
        amount bigint NOT NULL
      );
      CREATE INDEX balance_entries_by_beneficiary ON ${s}.balance_entries (beneficiary_id, year);
      CREATE TABLE ${s}.budget_entries (
        global_position numeric(40, 0) NOT NULL,
        recorded_at timestamptz NOT NULL,
        year int NOT NULL,
        regime_code text NOT NULL,
        group_number int NOT NULL,
        administrative_unit text NOT NULL,
        service_date text NOT NULL,
        committed bigint NOT NULL,
        paid bigint NOT NULL
      );
      CREATE INDEX budget_entries_by_year ON ${s}.budget_entries (year);
      CREATE TABLE ${s}.units (
        beneficiary_id text NOT NULL,
        valid_from text NOT NULL,
        administrative_unit text NOT NULL,
        PRIMARY KEY (beneficiary_id, valid_from)
      );`);
  },

  async apply(tables: ProjectionTables, events: readonly StoredEvent[]): Promise<void> {
    const payouts = tables.table<PayoutRow>('payouts', { key: ['payout_id'], numeric: [...MONEY] });
    const balances = tables.table<BalanceRow>('balances', { key: ['beneficiary_id', 'year', 'regime_id'], numeric: [...BALANCE_MONEY], index: 'beneficiary_id' });
    const totals = tables.table<TotalRow>('budget_totals', { key: ['year', 'regime_code'], numeric: ['allocated', 'committed', 'paid', ...RECEIVABLES], index: 'year' });
    const spending = tables.table<SpendingRow>('budget_spending', { key: ['year', 'regime_code', 'group_number', 'administrative_unit'], numeric: ['committed', 'paid'], index: 'year' });
    const alerts = tables.table<AlertRow>('budget_alerts', { key: ['year', 'regime_code', 'percent'], numeric: ['used', 'allocated'], index: 'year' });
    const sources = tables.table<SourceRow>('sources', { key: ['source_id'] });
    const paidByGroup = tables.table<PaidByGroupRow>('paid_by_group', { key: ['year', 'regime_code', 'group_number'], numeric: [...TALLIED], index: 'year' });
    const paidByRegime = tables.table<PaidByRegimeRow>('paid_by_regime', { key: ['year', 'regime_code'], index: 'year' });
    const paidPeople = tables.table<PaidPersonRow>('paid_people', { key: ['year', 'regime_code', 'person'] });
    const units = tables.table<UnitRow>('units', { key: ['beneficiary_id', 'valid_from'], index: 'beneficiary_id' });
    const adjustments = tables.table<AdjustmentRow>('adjustments', {
      key: ['adjustment_id'],
      numeric: ['previous_amount', 'next_amount', 'difference', 'basis'],
      index: 'source_id',
    });
    const lines = tables.table<LineRow>('lines', { key: ['line_id'], numeric: ['paid'], index: 'beneficiary_id' });

    // What the batch touches, loaded up front in one query per table: inside the loop, a row not
    // in the cache is a new row, and no event costs a round trip.
    if (!tables.inMemory) {
      const payoutIds = new Set<string>();
      const sourceIds = new Set<string>();
      const holders = new Set<string>();
      const years = new Set<number>();
      const adjustmentIds = new Set<string>();
      const lineIds = new Set<string>();
      /** Lines whose payouts may move to another group or unit: every payout of theirs is loaded. */
      const moving = new Set<string>();
      const relocated = new Set<string>();
      for (const event of events) {
        const subject = subjectOf(event);
        const data = event.data as Record<string, any>;
        if (subject?.kind === 'payout') payoutIds.add(subject.id);
        else if (subject?.kind === 'admission' || subject?.kind === 'claim') sourceIds.add(subject.id);
        if (event.type === 'PayoutScheduled') {
          // An adjustment's payout is described by the adjustment.
          if (data.source.kind === 'adjustment') adjustmentIds.add(data.source.id);
          else {
            sourceIds.add(data.source.id);
            lineIds.add(data.payoutId);
          }
          years.add(yearOf(data.serviceDate));
        }
        if (event.type === 'AdjustmentEntitled') {
          lineIds.add(data.corrects.payoutId);
          moving.add(data.corrects.payoutId);
        }
        if (event.type === 'BeneficiaryEnrolled' || event.type === 'BeneficiaryPositionChanged') relocated.add(idOf(event.streamId, 'beneficiary'));
        if (typeof data.beneficiaryId === 'string') holders.add(data.beneficiaryId);
        if (event.type === 'AnnualBudgetAllocated') years.add(data.year);
      }
      await payouts.load([...payoutIds].map((payout_id) => ({ payout_id })));
      await sources.load([...sourceIds].map((source_id) => ({ source_id })));
      await adjustments.loadBy([...sourceIds]);
      await adjustments.load([...adjustmentIds].map((adjustment_id) => ({ adjustment_id })));
      for (const id of payoutIds) {
        const payout = payouts.get({ payout_id: id });
        if (payout) lineIds.add(payout.line_id);
      }
      for (const id of adjustmentIds) {
        const adjustment = adjustments.get({ adjustment_id: id });
        if (adjustment) lineIds.add(adjustment.corrects_payout_id);
      }
      for (const id of sourceIds) {
        const from = sources.get({ source_id: id });
        if (from?.beneficiary_id) holders.add(from.beneficiary_id);
      }
      for (const id of relocated) holders.add(id);
      await lines.load([...lineIds].map((line_id) => ({ line_id })));
      await lines.loadBy(relocated);
      const touched = [...lineIds].map((line_id) => lines.get({ line_id })).concat([...relocated].flatMap((id) => lines.rowsBy(id)));
      const people: Partial<PaidPersonRow>[] = [];
      const linePayouts: string[] = [];
      for (const line of touched) {
        if (!line) continue;
        if (line.beneficiary_id) holders.add(line.beneficiary_id);
        years.add(line.year);
        people.push({ year: line.year, regime_code: line.regime_code, person: line.person });
        if (moving.has(line.line_id) || relocated.has(line.beneficiary_id ?? '')) linePayouts.push(...line.payout_ids);
        sourceIds.add(line.source_id);
      }
      // A line's days are those its source is entitled to now.
      await sources.load([...sourceIds].map((source_id) => ({ source_id })));
      for (const event of events) {
        const data = event.data as Record<string, any>;
        if (event.type === 'PayoutScheduled') people.push({ year: yearOf(data.serviceDate), regime_code: data.regimeCode, person: personOf({ beneficiary_id: data.beneficiaryId ?? null, payee: data.payee }) });
      }
      await payouts.load(linePayouts.map((payout_id) => ({ payout_id })));
      await balances.loadBy(holders);
      await units.loadBy(holders);
      await totals.loadBy(years);
      await spending.loadBy(years);
      await alerts.loadBy(years);
      await paidByGroup.loadBy(years);
      await paidByRegime.loadBy(years);
      await paidPeople.load(people);
    }
    const unitOn = (beneficiaryId: string, date: string): string => {
      let found: UnitRow | undefined;
      for (const unit of units.rowsBy(beneficiaryId)) if (unit.valid_from <= date && (!found || unit.valid_from > found.valid_from)) found = unit;
      return found?.administrative_unit ?? '';
    };

    // The event being applied: its position and time go into the rows it adds to the history tables.
    let current = events[0]!;
    const balance = (beneficiary_id: string, year: number, regime_id: string): BalanceRow => {
      const key = { beneficiary_id, year, regime_id };
      return (
        balances.get(key) ??
        balances.put({ beneficiary_id, year, regime_id, regime_code: codeOf(regime_id), entitled: 0, approved: 0, paid: 0, reversed: 0, adjusted: 0, annual_cap: null, cap_used: 0, to_recover: 0, recovered: 0, written_off: 0 })
      );
    };
    const addToBalance = (
      beneficiaryId: string | null,
      year: number,
      regimeId: string,
      serviceDate: string,
      change: Partial<Record<(typeof BALANCE_MONEY)[number], number>>,
    ) => {
      if (!beneficiaryId) return;
      const row = balance(beneficiaryId, year, regimeId);
      for (const [measure, amount] of Object.entries(change) as [(typeof BALANCE_MONEY)[number], number][]) {
        if (measure === 'annual_cap') {
          row.annual_cap = amount;
          continue;
        }
        row[measure] += amount;
        tables.append('balance_entries', { global_position: current.globalPosition, recorded_at: current.recordedAt, beneficiary_id: beneficiaryId, year, regime_id: regimeId, service_date: serviceDate, measure, amount });
      }
      balances.put(row);
    };
    const total = (year: number, regime_code: string): TotalRow => {
      const key = { year, regime_code };
      return totals.get(key) ?? totals.put({ year, regime_code, allocated: null, decision_number: null, committed: 0, paid: 0, to_recover: 0, recovered: 0, written_off: 0 });
    };
    const spend = (payout: PayoutRow, committed: number, paid: number) => {
      const key = { year: payout.year, regime_code: payout.regime_code, group_number: payout.group_number, administrative_unit: payout.administrative_unit };
      const row = spending.get(key) ?? { ...key, committed: 0, paid: 0 };
      row.committed += committed;
      row.paid += paid;
      spending.put(row);
      const sum = total(payout.year, payout.regime_code);
      sum.committed += committed;
      sum.paid += paid;
      totals.put(sum);
      tables.append('budget_entries', { global_position: current.globalPosition, recorded_at: current.recordedAt, ...key, service_date: payout.service_date, committed, paid });
      checkAlerts(payout.year, payout.regime_code, current.globalPosition);
    };
    const checkAlerts = (year: number, regime_code: string, position: bigint) => {
      const sum = totals.get({ year, regime_code })!;
      if (!sum.allocated) return;
      const used = sum.committed + sum.paid;
      for (const percent of BUDGET_ALERT_PERCENTS) {
        if (used * 100 >= sum.allocated * percent && !alerts.get({ year, regime_code, percent })) {
          alerts.put({ year, regime_code, percent, used, allocated: sum.allocated, global_position: position.toString() });
        }
      }
    };
    /**
     * A line starts (+1) or stops (-1) counting in its group's year-end tallies: its net paid
     * always, its visit or claim, days and person only where that net is positive (a stay
     * recovered to nothing counts no one). The people counts change when a payee's first counted
     * line in the group or regime comes or their last one goes.
     */
    const tally = (line: LineRow, sign: 1 | -1) => {
      const counted = line.paid > 0 ? sign : 0;
      if (counted === 0 && line.paid === 0) return;
      const group = { year: line.year, regime_code: line.regime_code, group_number: line.group_number };
      const row = paidByGroup.get(group) ?? { ...group, payouts: 0, people: 0, units: 0, amount: 0 };
      row.payouts += counted;
      row.units += counted * line.units;
      row.amount += sign * line.paid;
      if (counted !== 0) {
        const regime = paidByRegime.get(group) ?? { year: line.year, regime_code: line.regime_code, people: 0 };
        const key = { year: line.year, regime_code: line.regime_code, person: line.person };
        const person: PaidPersonRow = paidPeople.get(key) ?? { ...key, lines_by_group: {} };
        const inRegimeBefore = Object.keys(person.lines_by_group).length > 0;
        const before = person.lines_by_group[line.group_number] ?? 0;
        const after = before + counted;
        const linesByGroup: Record<string, number> = { ...person.lines_by_group, [line.group_number]: after };
        if (after === 0) delete linesByGroup[line.group_number];
        const inRegimeAfter = Object.keys(linesByGroup).length > 0;
        if ((before === 0) !== (after === 0)) row.people += after === 0 ? -1 : 1;
        if (inRegimeBefore !== inRegimeAfter) regime.people += inRegimeAfter ? 1 : -1;
        paidByRegime.put(regime);
        paidPeople.put({ ...person, lines_by_group: linesByGroup });
      }
      paidByGroup.put(row);
    };
    /** Changes a line: it leaves the tallies as it was and comes back as it is. */
    const recount = (line: LineRow, change: () => void) => {
      tally(line, -1);
      change();
      tally(line, 1);
      lines.put(line);
    };
    /** Every payout of the line goes with it to the group and unit it counts under now: first payout and adjustments alike. */
    const relocate = (line: LineRow, group: number, unit: string) => {
      if (line.group_number === group && line.administrative_unit === unit) return;
      for (const payout_id of line.payout_ids) {
        const payout = payouts.get({ payout_id });
        if (!payout) continue;
        const [committed, paid] = bookedAs(payout);
        if (committed !== 0 || paid !== 0) spend(payout, -committed, -paid);
        Object.assign(payout, { group_number: group, administrative_unit: unit });
        payouts.put(payout);
        if (committed !== 0 || paid !== 0) spend(payout, committed, paid);
      }
      Object.assign(line, { group_number: group, administrative_unit: unit });
    };
    /** The parts a stay's meals are paid in, as the stay stands now: one line each. */
    const mealParts = (stay: SourceRow | undefined): Admissions.MealYear[] =>
      stay ? Admissions.mealYears({ admissionId: stay.source_id, ...(stay.discharged_on ? { dischargedOn: stay.discharged_on } : {}), ...(stay.meals ? { meals: stay.meals } : {}) }) : [];
    const mealPart = (stay: SourceRow | undefined, payoutId: string) => mealParts(stay).find((part) => part.payoutId === payoutId);
    /** Books each year's part of a stay's meals in that year's balance. */
    const bookMeals = (stay: SourceRow, measure: 'entitled' | 'approved', sign: 1 | -1) => {
      for (const part of mealParts(stay)) addToBalance(stay.beneficiary_id, part.year, 'b', part.serviceDate, { [measure]: sign * part.amount });
    };
    /** The days (per-day regimes: of the line's year, for a stay's meals) or the one visit or claim the line's source is entitled to now. */
    const unitsOf = (line: LineRow): number => {
      const from = sources.get({ source_id: line.source_id });
      return line.source_kind === 'admission' ? (line.regime_id === 'b' ? (mealPart(from, line.line_id)?.days ?? 0) : 1) : (from?.approval?.units ?? 1);
    };
    const source = (id: string, kind: string): SourceRow =>
      sources.get({ source_id: id }) ??
      sources.put({
        source_id: id,
        kind,
        beneficiary_id: null,
        regime_id: null,
        visit: null,
        meals: null,
        approval: null,
        admitted_on: null,
        discharged_on: null,
        decision: null,
        service_year: null,
        service_date: null,
        facts: null,
      });
    /**
     * Where a payout's money sits in the budget: committed while scheduled, paid once paid. A
     * recovery is committed (negative) for what it still owes and paid (negative) for what came back.
     */
    const bookedAs = (payout: PayoutRow): [number, number] => {
      if (payout.status === 'reversed') return [0, 0];
      if (payout.amount < 0) return [payout.amount + payout.recovered + payout.written_off, -payout.recovered];
      return payout.status === 'paid' ? [0, payout.amount] : [payout.amount, 0];
    };
    /** A recovery's account moves: its status, balance, budget (committed, paid, receivables) and line follow. */
    const settle = (payout: PayoutRow, change: { recovered?: number; written_off?: number }, settlement: Settlement) => {
      const recovered = change.recovered ?? 0;
      const writtenOff = change.written_off ?? 0;
      payout.recovered += recovered;
      payout.written_off += writtenOff;
      payout.settlements = [...payout.settlements, settlement];
      const owed = -payout.amount - payout.recovered - payout.written_off;
      payout.status = owed > 0 ? 'owed' : payout.written_off > 0 ? 'written-off' : 'recovered';
      payouts.put(payout);
      addToBalance(payout.beneficiary_id, payout.year, payout.regime_id, payout.service_date, {
        to_recover: -recovered - writtenOff,
        ...(recovered ? { recovered, paid: -recovered } : {}),
        ...(writtenOff ? { written_off: writtenOff } : {}),
      });
      receivable(payout, { to_recover: -recovered - writtenOff, recovered, written_off: writtenOff });
      spend(payout, recovered + writtenOff, -recovered);
      const line = lines.get({ line_id: payout.line_id });
      if (line && recovered) recount(line, () => (line.paid -= recovered));
    };
    const receivable = (payout: PayoutRow, change: Record<(typeof RECEIVABLES)[number], number>) => {
      const sum = total(payout.year, payout.regime_code);
      for (const measure of RECEIVABLES) sum[measure] += change[measure];
      totals.put(sum);
    };

    // A rebuild has the database fill the lineage: its rows (and the metadata they read) are not built here.
    const writesLineage = tables.writes('lineage');
    for (const event of events) {
      current = event;
      const data = event.data as Record<string, any>;
      const subject = subjectOf(event);
      if (subject && writesLineage) {
        tables.append('lineage', {
          global_position: event.globalPosition,
          recorded_at: event.recordedAt,
          subject_kind: subject.kind,
          subject_id: subject.id,
          step: event.type,
          actor: event.metadata.actor,
          roles: event.metadata.roles ?? null,
          details: data,
        });
      }
      switch (event.type) {
        case 'BeneficiaryEnrolled':
        case 'BeneficiaryPositionChanged': {
          const beneficiaryId = idOf(event.streamId, 'beneficiary');
          units.put({ beneficiary_id: beneficiaryId, valid_from: data.from, administrative_unit: data.administrativeUnit });
          // A move known late takes the services after it, already paid or not, to the unit they belong to.
          for (const line of lines.rowsBy(beneficiaryId)) {
            const unit = unitOn(beneficiaryId, line.service_date);
            if (unit !== line.administrative_unit) {
              relocate(line, line.group_number, unit);
              lines.put(line);
            }
          }
          break;
        }
        case 'AdmissionRecorded':
          sources.put(Object.assign(source(subject!.id, 'admission'), { beneficiary_id: data.beneficiaryId, admitted_on: data.admittedOn }));
          break;
        case 'DischargeRecorded':
          sources.put(Object.assign(source(subject!.id, 'admission'), { discharged_on: data.dischargedOn }));
          break;
        case 'AdmissionDatesCorrected':
        case 'VisitAllowanceEntitled':
        case 'MealAllowanceEntitled': {
          // A correction withdraws what the stay was entitled to; the entitlements that follow it replace it.
          const stay = source(subject!.id, 'admission');
          if (event.type !== 'MealAllowanceEntitled' && stay.visit) addToBalance(stay.beneficiary_id, stay.visit.year, 'a', stay.visit.serviceDate, { entitled: -stay.visit.amount });
          if (event.type !== 'VisitAllowanceEntitled') bookMeals(stay, 'entitled', -1);
          if (event.type === 'AdmissionDatesCorrected') {
            sources.put(Object.assign(stay, { visit: null, meals: null, admitted_on: data.admittedOn, discharged_on: data.dischargedOn }));
          } else if (event.type === 'VisitAllowanceEntitled') {
            const visit = { ...(data as { serviceDate: string; group: number; amount: number; policyVersionId: string; clause: string }), year: yearOf(data.serviceDate), basis: data.amount };
            sources.put(Object.assign(stay, { visit }));
            addToBalance(stay.beneficiary_id, visit.year, 'a', visit.serviceDate, { entitled: visit.amount });
          } else {
            sources.put(Object.assign(stay, { meals: data as Admissions.MealAllowance }));
            bookMeals(stay, 'entitled', 1);
          }
          break;
        }
        case 'AdmissionAllowancesApproved':
        case 'AdmissionAllowancesRejected': {
          const stay = sources.put(Object.assign(source(subject!.id, 'admission'), { decision: event.type === 'AdmissionAllowancesApproved' ? 'approved' : 'rejected' }));
          if (event.type === 'AdmissionAllowancesRejected') break;
          if (stay.visit) addToBalance(stay.beneficiary_id, stay.visit.year, 'a', stay.visit.serviceDate, { approved: stay.visit.amount });
          bookMeals(stay, 'approved', 1);
          break;
        }
        case 'AdjustmentEntitled': {
          const from = source(subject!.id, subject!.kind);
          const year = yearOf(data.serviceDate);
          const next = data.next;
          // A claim's recovery down to nothing names no new group: it stays where it was.
          const nextGroup: number = next.group ?? data.previous.group ?? 0;
          // The entitlement the adjustment settles: the new one, or for a recovery to nothing the one it takes back.
          const mealsBefore = mealPart(from, data.corrects.payoutId)?.segments[0];
          const before = subject!.kind === 'claim' ? from.approval : data.regimeId === 'a' ? from.visit : mealsBefore && { clause: mealsBefore.clause, basis: mealsBefore.rate };
          const nextBasis: number | undefined = subject!.kind === 'claim' ? next.basis : data.regimeId === 'a' ? next.amount : next.segments?.[0]?.rate;
          const settles = next.amount === 0 ? { clause: before?.clause || null, basis: before?.basis ?? null } : { clause: next.clause || null, basis: nextBasis ?? null };
          adjustments.put({
            adjustment_id: data.adjustmentId,
            source_kind: subject!.kind,
            source_id: subject!.id,
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
          if (subject!.kind === 'claim') {
            sources.put(Object.assign(from, { approval: from.approval && { ...from.approval, ...(next.amount > 0 ? { clause: settles.clause ?? '', basis: settles.basis ?? 0 } : {}), amount: next.amount, group: nextGroup, policyVersionId: next.policyVersionId } }));
          } else if (data.regimeId === 'a') {
            sources.put(Object.assign(from, { visit: { serviceDate: data.serviceDate, group: next.group, amount: next.amount, policyVersionId: next.policyVersionId, clause: next.clause, year, basis: next.amount } }));
          } else {
            sources.put(Object.assign(from, { meals: Admissions.mealsAdjusted(from.meals ?? undefined, year, next) }));
          }
          addToBalance(from.beneficiary_id, year, data.regimeId, data.serviceDate, { entitled: data.difference, adjusted: data.difference });
          const line = lines.get({ line_id: data.corrects.payoutId });
          if (line) recount(line, () => {
            relocate(line, nextGroup, line.administrative_unit);
            line.units = unitsOf(line);
          });
          break;
        }
        case 'AdjustmentsApproved':
          for (const id of data.adjustmentIds as string[]) {
            const adjustment = adjustments.update({ adjustment_id: id }, () => ({ approved_by: data.by }));
            if (adjustment) addToBalance(adjustment.beneficiary_id, adjustment.year, adjustment.regime_id, adjustment.service_date, { approved: adjustment.difference });
          }
          break;
        case 'ClaimRequested':
          sources.put(
            Object.assign(source(subject!.id, 'claim'), {
              beneficiary_id: data.beneficiaryId ?? null,
              regime_id: data.regimeId,
              service_year: yearOf(data.serviceDate),
              service_date: data.serviceDate,
              facts: data,
            }),
          );
          break;
        case 'ClaimApproved': {
          const claim = source(subject!.id, 'claim');
          const year = claim.service_year!;
          const days = (data.segments as { days: number }[] | undefined)?.reduce((sum, s) => sum + s.days, 0);
          sources.put(
            Object.assign(claim, {
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
          addToBalance(claim.beneficiary_id, year, claim.regime_id!, claim.service_date ?? `${year}-12-31`, {
            entitled: data.amount,
            approved: data.amount,
            ...(data.limit?.cap !== undefined ? { annual_cap: data.limit.cap, cap_used: data.amount } : {}),
          });
          break;
        }
        case 'PayoutScheduled': {
          const adjustment = data.source.kind === 'adjustment' ? adjustments.get({ adjustment_id: data.source.id }) : undefined;
          const from = adjustment ? undefined : source(data.source.id, data.source.kind);
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
              administrative_unit: data.beneficiaryId ? unitOn(data.beneficiaryId, data.serviceDate) : 'staff',
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
          recount(line, () => {
            if (!line.payout_ids.includes(payout.payout_id)) line.payout_ids = [...line.payout_ids, payout.payout_id];
            line.units = unitsOf(line);
          });
          spend(payout, payout.amount, 0);
          if (payout.amount < 0) {
            addToBalance(payout.beneficiary_id, payout.year, payout.regime_id, payout.service_date, { to_recover: -payout.amount });
            receivable(payout, { to_recover: -payout.amount, recovered: 0, written_off: 0 });
          }
          break;
        }
        case 'RecoveryRefunded':
        case 'RecoveryOffset':
        case 'RecoveryWrittenOff': {
          const payout = payouts.get({ payout_id: subject!.id });
          if (!payout) break;
          const by: string = data.by;
          if (event.type === 'RecoveryWrittenOff') settle(payout, { written_off: data.amount }, { kind: 'write-off', amount: data.amount, on: data.on, by, reason: data.reason });
          else if (event.type === 'RecoveryRefunded') settle(payout, { recovered: data.amount }, { kind: 'refund', amount: data.amount, on: data.receivedOn, by, reference: data.reference });
          else settle(payout, { recovered: data.amount }, { kind: 'offset', amount: data.amount, on: data.on, by, payout_id: data.againstPayoutId });
          break;
        }
        case 'PayoutPaid': {
          const before = payouts.get({ payout_id: subject!.id });
          if (!before) break;
          // A recovery "paid" before receivables existed came back in full.
          if (before.amount < 0) {
            settle(before, { recovered: -before.amount - before.recovered }, { kind: 'refund', amount: -before.amount, on: data.paidOn, by: data.by, reference: data.reference });
            break;
          }
          const offsets = (data.offsets ?? []) as { recoveryPayoutId: string; amount: number }[];
          const payout = payouts.put({
            ...before,
            status: 'paid',
            paid_reference: data.reference,
            paid_on: data.paidOn,
            offset_amount: offsets.reduce((sum, taken) => sum + taken.amount, 0),
            settlements: offsets.map((taken) => ({ kind: 'offset', amount: taken.amount, on: data.paidOn, by: data.by, payout_id: taken.recoveryPayoutId })),
          });
          addToBalance(payout.beneficiary_id, payout.year, payout.regime_id, payout.service_date, { paid: payout.amount });
          spend(payout, -payout.amount, payout.amount);
          const line = lines.get({ line_id: payout.line_id });
          if (line) recount(line, () => (line.paid += payout.amount));
          break;
        }
        case 'PayoutReversed': {
          const before = payouts.get({ payout_id: subject!.id });
          if (!before) break;
          const wasPaid = before.status === 'paid';
          const payout = payouts.put({ ...before, status: 'reversed', reversed_on: data.on, reversal_reason: data.reason });
          const capped = balances.get({ beneficiary_id: payout.beneficiary_id ?? '', year: payout.year, regime_id: payout.regime_id })?.annual_cap != null;
          addToBalance(payout.beneficiary_id, payout.year, payout.regime_id, payout.service_date, {
            reversed: payout.amount,
            ...(wasPaid ? { paid: -payout.amount } : {}),
            ...(capped ? { cap_used: -payout.amount } : {}),
            ...(payout.amount < 0 ? { to_recover: payout.amount } : {}),
          });
          if (payout.amount < 0) receivable(payout, { to_recover: payout.amount, recovered: 0, written_off: 0 });
          spend(payout, wasPaid ? 0 : -payout.amount, wasPaid ? -payout.amount : 0);
          const line = lines.get({ line_id: payout.line_id });
          if (line && wasPaid) recount(line, () => (line.paid -= payout.amount));
          break;
        }
        case 'AnnualBudgetAllocated': {
          const sum = total(data.year, data.regimeCode);
          totals.put(Object.assign(sum, { allocated: data.amount, decision_number: data.decisionNumber }));
          checkAlerts(data.year, data.regimeCode, event.globalPosition);
          break;
        }
      }
    }
  },
};
