import type { LoggedEventOf } from '../domain-projection.js';

/** The events the payments read model is made of. */
export const PAYMENT_EVENT_TYPES = [
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
] as const;

export type PaymentEvent = LoggedEventOf<(typeof PAYMENT_EVENT_TYPES)[number]>;

/** The event being applied, whose position and time go into the rows it adds to the history tables. */
export type Applying = Pick<PaymentEvent, 'globalPosition' | 'recordedAt'>;

/** The history tables as the event being applied writes them: each row carries its position and time. */
export interface Journal {
  readonly at: Applying;
  append(table: 'balance_entries' | 'budget_entries', row: Record<string, unknown>): void;
}
