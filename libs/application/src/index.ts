export * from './event-sourcing.js';
export * from './ports/index.js';
export { type Permission, PERMISSIONS } from './permissions.js';
export { ApplicationModule } from './application.module.js';
export { idFromCommand } from './ids.js';
export {
  DraftPolicyVersion,
  type PolicyDraftStatus,
  PublishCatalogFile,
  PublishPolicyVersion,
  PolicyVersions,
  provinceToday,
} from './policies/policy-catalog.js';
export { EnrolBeneficiary, ErasePersonalData, UpdateBeneficiary } from './beneficiaries/beneficiary-commands.js';
export { type PersonalDataRead, PersonalDataReads } from './personal-data/personal-data-reads.js';
export { IssueCard, ReissueCard, RevokeCard } from './cards/card-commands.js';
export { ActOnAdmission, RecordAdmission } from './admissions/admission-commands.js';
export { ActOnResident, RecordHealthCheck, RegisterResident, residentStreamId } from './residents/resident-commands.js';
export { AdjustClaim, ApproveClaims, type BatchOutcome, type ClaimDecision, DecideClaim, RequestClaim } from './claims/claim-commands.js';
export { CollectRecovery, SettlePayout } from './payouts/payout-commands.js';
export { AllocateAnnualBudget } from './budgets/budget-commands.js';
export { openApplication } from './standalone.js';
export { DEMO_ACTORS, DEMO_FIGURES, DEMO_YEAR, generateDemoProvince, type DemoOptions } from './demo/demo-province.js';
export { demoResident, generateResidentsDemo, RESIDENTS_DEMO_CLERK, type ResidentsDemoOptions } from './demo/residents-demo.js';
export { AggregateReader, type AggregateView, type HistoryEntry } from './reads.js';
export { type Session, type SignInRefusal, USERNAME, Users, type UserView } from './users/users.js';
export { UserAccounts } from './users/user-accounts.js';
export { SignInThrottled } from './users/sign-in-throttle.js';
export { AdministrativeUnitsRegistry, RecordUnitChanges } from './administrative-units/administrative-unit-commands.js';
export {
  DraftReorganizationPlan,
  type Reclassification,
  type ReorganizationOutcome,
  type ReorganizationPreview,
  ReorganizationPlans,
} from './reorganizations/reorganizations.js';
export { type PolicyPreview, type RecomputationOutcome, RetroactivePolicies } from './retroactivity/retroactive-policies.js';
export { type CoverageEnd, type CoverageEndPreview, CoverageEnds } from './retroactivity/coverage-ends.js';
export type { ReplayProgress } from './retroactivity/replay.js';
export type { ChangeTotals, ClaimChange, RecomputationPreview, StayChange } from './retroactivity/stay-recomputation.js';
export { BeneficiaryImports, beneficiaryListTemplate, type ImportReport, type RowError } from './imports/beneficiary-import.js';
export { ImportLimitExceeded } from './imports/workbook-reader.js';
export { todayInVietnam } from './today.js';
