import type { AdministrativeUnitEvent } from './administrative-units/administrative-units.js';
import type { AdmissionEvent } from './admissions/admission.js';
import type { NationalIdEvent } from './beneficiaries/national-id-reservation.js';
import type { BeneficiaryEvent } from './beneficiaries/beneficiary.js';
import type { AnnualBudgetEvent } from './budgets/annual-budget.js';
import type { CardEvent } from './cards/card.js';
import type { ClaimEvent } from './claims/claim.js';
import type { AnnualCapEvent } from './drug-reimbursements/annual-cap-ledger.js';
import type { PayoutEvent } from './payouts/payout.js';
import type { PolicyCatalogEvent } from './policy/policy-catalog.js';
import type { ReorganizationEvent } from './reorganizations/reorganization-plan.js';
import type { ResidentEvent } from './residents/resident.js';
import type { ServiceIndexEvent } from './service-index/service-index.js';
import type { UserAccountEvent } from './users/user-account.js';

/**
 * Every event the domain records, in today's schema (older versions are lifted by the upcasters
 * before anyone reads them). Some types are recorded by more than one aggregate
 * (`AdjustmentEntitled` by admissions and claims): their data is the union of both.
 */
export type DomainEvent =
  | AdministrativeUnitEvent
  | AdmissionEvent
  | AnnualBudgetEvent
  | AnnualCapEvent
  | BeneficiaryEvent
  | CardEvent
  | ClaimEvent
  | NationalIdEvent
  | PayoutEvent
  | PolicyCatalogEvent
  | ReorganizationEvent
  | ResidentEvent
  | ServiceIndexEvent
  | UserAccountEvent;

export type DomainEventType = DomainEvent['type'];

/** The events of these types: `DomainEventOf<'PayoutPaid' | 'PayoutReversed'>`. */
export type DomainEventOf<Type extends DomainEventType> = Extract<DomainEvent, { readonly type: Type }>;
