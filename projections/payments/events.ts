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

/**
 * The year-end figures kept with their history: besides its live row, each keeps the row as every
 * event that changed it left it (`<table>_versions`, by log position), so that the report at a past
 * position reads the version standing then instead of rebuilding the read model.
 */
export const VERSIONED = {
  paid_by_group: { key: ['year', 'regime_code', 'group_number'], values: ['payouts', 'people', 'units', 'amount'] },
  paid_by_regime: { key: ['year', 'regime_code'], values: ['people'] },
  receivables: { key: ['year', 'regime_code'], values: ['to_recover', 'recovered', 'written_off'] },
} as const;
export type VersionedTable = keyof typeof VERSIONED;

/** The history tables as the event being applied writes them: each row carries its position and time. */
export interface Journal {
  readonly at: Applying;
  append(table: 'balance_entries' | 'budget_entries', row: Record<string, unknown>): void;
  /** A versioned figure's row changed: its version as the event leaves it is kept (once per event and row). */
  changed(table: VersionedTable, row: Record<string, unknown>): void;
}

/**
 * A journal for one event: the versioned rows it changed are appended once each, as the event left
 * them, when it is done (a line recounted leaves and comes back within one event).
 */
export function journalOf(at: Applying, append: (table: string, row: Record<string, unknown>) => void): Journal & { done(): void } {
  const changed = new Map<string, { table: VersionedTable; row: Record<string, unknown> }>();
  return {
    at,
    append,
    changed(table, row) {
      changed.set(`${table}\u0000${VERSIONED[table].key.map((column) => String(row[column])).join('\u0000')}`, { table, row });
    },
    done() {
      for (const { table, row } of changed.values()) {
        const { key, values } = VERSIONED[table];
        const version: Record<string, unknown> = { global_position: at.globalPosition };
        for (const column of [...key, ...values]) version[column] = row[column];
        append(`${table}_versions`, version);
      }
      changed.clear();
    },
  };
}
