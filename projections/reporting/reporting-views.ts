import type { ClientBase } from 'pg';
import { ident, liveSchemaOf } from '#projection-runner';
import { percentOf } from '../percentages.js';
import { payments } from '../payments/payments.projection.js';
import { registers } from '../registers/registers.projection.js';

const R = liveSchemaOf(registers);
const P = liveSchemaOf(payments);

/**
 * The reporting schema: stable, documented views over the read models for a BI tool (Metabase,
 * Grafana, Superset) connected to PostgreSQL. Amounts are whole VND (bigint). The views are
 * recreated whenever a read model is swapped in by a rebuild, in the same transaction, so a
 * reader never sees them point at retired tables. Documented in docs/reporting.md.
 */
const VIEWS: Record<string, string> = {
  beneficiary_register: `
    SELECT beneficiary_id, full_name, date_of_birth, national_id, title, administrative_unit, current_group AS group_number,
           enrolled_from, status, retired_on, died_on, removed_on
      FROM ${R}.beneficiaries`,
  beneficiary_group_periods: `
    SELECT beneficiary_id, group_number, valid_from,
           lead(valid_from) OVER (PARTITION BY beneficiary_id ORDER BY valid_from) AS valid_until,
           reason, decision_number, plan_id AS reorganization_plan_id
      FROM ${R}.group_periods`,
  card_register: `
    SELECT c.card_number, c.beneficiary_id, b.full_name, b.administrative_unit, c.group_at_issue AS group_number,
           c.valid_from, c.valid_to, c.status, c.closed_on, c.replaces AS replaces_card_number, c.reissue_reason,
           c.replaced_by AS replaced_by_card_number, c.revocation_reason
      FROM ${R}.cards c JOIN ${R}.beneficiaries b USING (beneficiary_id)`,
  beneficiary_balances: `
    SELECT x.beneficiary_id, b.full_name, x.year, x.regime_id, x.regime_code, x.entitled, x.approved, x.paid, x.reversed,
           x.adjusted, x.annual_cap, x.cap_used, CASE WHEN x.annual_cap IS NULL THEN NULL ELSE greatest(x.annual_cap - x.cap_used, 0) END AS remaining_cap
      FROM ${P}.balances x LEFT JOIN ${R}.beneficiaries b USING (beneficiary_id)`,
  annual_budget_by_regime: `
    SELECT year, regime_code, allocated, decision_number, committed, paid, committed + paid AS used,
           allocated - committed - paid AS remaining,
           CASE WHEN allocated > 0 THEN ${percentOf('committed + paid', 'allocated')} END AS used_percent
      FROM ${P}.budget_totals`,
  annual_budget_by_group_and_unit: `
    SELECT year, regime_code, group_number, administrative_unit, committed, paid FROM ${P}.budget_spending`,
  budget_alerts: `
    SELECT year, regime_code, percent AS threshold_percent, used AS used_when_raised, allocated AS allocated_when_raised, global_position AS raised_at_log_position
      FROM ${P}.budget_alerts`,
  payout_history: `
    SELECT payout_id, line_id AS settles_payout_id, source_kind, source_id, beneficiary_id, payee, regime_id, regime_code, group_number, administrative_unit, year,
           service_date, amount, units, policy_version_id, clause, basis AS rate_or_ceiling, over_cap, approved_by, status,
           paid_reference, paid_on, reversed_on, reversal_reason, recovered, written_off, offset_amount, settlements
      FROM ${P}.payouts`,
  payout_lineage: `
    SELECT subject_kind, subject_id, global_position AS log_position, step, actor, roles, recorded_at, details FROM ${P}.lineage`,
  adjustments: `
    SELECT a.adjustment_id, a.source_kind, a.source_id, a.beneficiary_id, b.full_name, a.regime_id, a.year, a.service_date,
           a.cause_kind, a.cause_id, a.corrects_payout_id, a.previous_amount, a.previous_group, a.next_amount, a.next_group,
           a.difference, a.clause, a.basis AS rate_or_ceiling, a.recorded_by, a.approved_by, a.global_position AS log_position
      FROM ${P}.adjustments a LEFT JOIN ${R}.beneficiaries b USING (beneficiary_id)`,
  budget_movements: `
    SELECT global_position AS log_position, recorded_at, year, regime_code, group_number, administrative_unit, service_date, committed, paid
      FROM ${P}.budget_entries`,
  year_end_by_regime_and_group: `
    SELECT year, regime_code, group_number, payouts, people, units, amount FROM ${P}.paid_by_group WHERE payouts <> 0 OR amount <> 0`,
  year_end_people_by_regime: `
    SELECT year, regime_code, people FROM ${P}.paid_by_regime WHERE people <> 0`,
  register_head_count_changes: `
    SELECT on_date, group_number, change FROM ${R}.head_count_changes WHERE change <> 0`,
};

/**
 * (Re)creates the reporting views, when both read models exist; returns whether it did. With
 * `readerRole` (the BI tool's database role), grants it reading them in the same transaction: a
 * view recreated by a rebuild is a new object, which would otherwise have lost the grant.
 */
export async function createReportingViews(sql: Pick<ClientBase, 'query'>, readerRole?: string): Promise<boolean> {
  const { rows } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = ANY($1::text[])', [[R, P]]);
  if (rows[0].n < 2) return false;
  // One round trip for all of them: this runs inside the transaction that swaps a rebuilt schema in.
  // Each view is dropped first, since CREATE OR REPLACE cannot rename a view's columns.
  const grants =
    readerRole === undefined
      ? []
      : [`GRANT USAGE ON SCHEMA reporting TO ${ident(readerRole)}`, `GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO ${ident(readerRole)}`];
  await sql.query(
    [
      'CREATE SCHEMA IF NOT EXISTS reporting',
      ...Object.entries(VIEWS).flatMap(([name, query]) => [`DROP VIEW IF EXISTS reporting.${name}`, `CREATE VIEW reporting.${name} AS ${query}`]),
      ...grants,
    ].join(';\n'),
  );
  return true;
}

export const REPORTING_VIEWS = Object.keys(VIEWS);
