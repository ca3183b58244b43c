import type { Projection } from '#projection-runner';
import { auditTrail } from './audit-trail/audit-trail.projection.js';
import { councilFlags } from './council-flags/council-flags.projection.js';
import { healthChecks } from './health-checks/health-checks.projection.js';
import { payments } from './payments/payments.projection.js';
import { registers } from './registers/registers.projection.js';
import { streamActivity } from './stream-activity/stream-activity.projection.js';

/** Every read model the system maintains; the runner, the worker and the rebuild CLI use this list. */
export const ALL_PROJECTIONS: readonly Projection[] = [streamActivity, registers, payments, councilFlags, auditTrail, healthChecks];

export { streamActivity, streamActivityDiscrepancies, categoryOf } from './stream-activity/stream-activity.projection.js';
export { registers } from './registers/registers.projection.js';
export { healthChecks } from './health-checks/health-checks.projection.js';
export { BUDGET_ALERT_PERCENTS, codeOf, payments } from './payments/payments.projection.js';
export {
  annualBudget,
  balancesOf,
  payoutHistory,
  payoutLineage,
  readModelPosition,
  REGISTER_STATUSES,
  type RegisterStatus,
  searchBeneficiaries,
  searchCards,
} from './queries/read-models.js';
export type { Page, PageRequest } from './queries/paging.js';
export { BeneficiaryRecord, CardRecord, PayoutRecord, READ_MODEL_ENTITIES } from './entities/read-model-entities.js';
export { NotCaughtUp } from '#projection-runner';
export { REGIME_HEADINGS } from './queries/regime-headings.js';
export { type ReportSource, yearEndReport, yearEndReportAt, type YearEndReport } from './queries/year-end-report.js';
export { checkCounts, periodReport, type PeriodReport, periodReportAt, talliedCounts } from './queries/period-report-reads.js';
export { checkFigures, reportPeriods } from './queries/period-report.js';
export { periodReportCsv, periodReportXlsx } from './queries/period-report-files.js';
export { yearEndReportCsv, yearEndReportPdf, yearEndReportXlsx } from './queries/year-end-report-files.js';
export { consistencyCheck, type ConsistencyReport, type ConsistencyRow } from './queries/consistency.js';
export { createReportingViews, REPORTING_VIEWS } from './reporting/reporting-views.js';
export { type CouncilFlag, councilFlagList, councilFlags } from './council-flags/council-flags.projection.js';
export { cappedClaimsOf, claimsServedFrom, holdersOfTitlesOn, registerEntries, staysDischargedFrom } from './queries/retroactivity-reads.js';
export { type AsOf, type BalanceAsOf, balancesAsOf, budgetAsOf, type BudgetLine } from './queries/as-of.js';
export { registerExport } from './queries/register-export.js';
export { paymentList, type PaymentListRow, registeredPerson } from './queries/documents.js';
export {
  APPROVAL_KINDS,
  type ApprovalKind,
  approvalQueue,
  PAYMENT_KINDS,
  type PaymentKind,
  paymentQueue,
  queueCounts,
  RECORD_KINDS,
  type RecordKind,
  recordsQueue,
} from './queries/work-queues.js';
export { type AuditFilter, auditEntries, auditTrail } from './audit-trail/audit-trail.projection.js';
export { type NationalYearEndReport, rollUpYearEndReports } from './queries/national-roll-up.js';
