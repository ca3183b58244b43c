export * from './policy/entitlement.js';
export { InvalidPolicyVersion, isCalendarDate, parsePolicyVersion } from './policy/parse-policy-version.js';
export * from './policy/policy-version.js';
export * from './beneficiaries/beneficiary.js';
export { nationalIdProblem } from './beneficiaries/national-id.js';
