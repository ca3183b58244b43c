export * from './policy/entitlement.js';
export { InvalidPolicyVersion, isCalendarDate, parsePolicyVersion } from './policy/parse-policy-version.js';
export * from './policy/policy-version.js';
/** Each aggregate's decide/evolve under its own name: `Beneficiaries.decide`, `Cards.evolve`. */
export * as Beneficiaries from './beneficiaries/beneficiary.js';
export { nationalIdProblem } from './beneficiaries/national-id.js';
export * as Cards from './cards/card.js';
export * as Admissions from './admissions/admission.js';
export { MAX_TEXT_LENGTH, RuleViolated } from './rule-violated.js';
export * as AnnualCapLedger from './drug-reimbursements/annual-cap-ledger.js';
export * as PolicyCatalog from './policy/policy-catalog.js';
export * as NationalIds from './beneficiaries/national-id-reservation.js';
export * as Claims from './claims/claim.js';
export * as Payouts from './payouts/payout.js';
export { CURRENT_SCHEMA_VERSIONS, upcast, type RecordedEvent } from './upcasters.js';
export * as AnnualBudgets from './budgets/annual-budget.js';
export * as AdministrativeUnits from './administrative-units/administrative-units.js';
export * as Reorganizations from './reorganizations/reorganization-plan.js';
export * as ServiceIndex from './service-index/service-index.js';
