export const ROLES = ['clerk', 'council-member', 'approver', 'finance', 'auditor', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may do what, in one table: the command handlers enforce it (whatever the entry point), and
 * the HTTP routes declare it so that a user without the role is turned away before their input
 * is even read. Approvers and auditors keep no facts; auditors change nothing at all.
 */
export const PERMISSIONS = {
  publishPolicy: ['administrator'],
  manageUsers: ['administrator'],
  listUsers: ['administrator', 'auditor'],
  keepRegister: ['clerk', 'administrator'],
  keepCards: ['clerk', 'administrator'],
  recordStays: ['clerk', 'administrator'],
  /** A universal health check, recorded (or cancelled as recorded wrongly) as the facility reports it: the clerks' work, as stays are. */
  recordHealthChecks: ['clerk', 'administrator'],
  /** Council members record claims resting on a Professional Council decision (special drugs). */
  requestClaims: ['clerk', 'council-member'],
  decideClaims: ['approver'],
  /** The Professional Council decides on special-drug claims a retroactive change left over a lowered annual cap: kept, or reduced to it. */
  decideOverLoweredCap: ['council-member'],
  settlePayouts: ['finance'],
  /** Giving up what a recovery still owes is a decision on money, not a booking: an approver's, with a reason. */
  writeOffRecoveries: ['approver'],
  allocateBudget: ['finance', 'administrator'],
  /** Administrative units, reorganization plans, and recomputing the past under a retroactive change. */
  applyRetroactiveChanges: ['administrator'],
  /** Where the data lives (database, event store) tells an attacker where to aim: administrators only. */
  readConfiguration: ['administrator'],
  /** Erasing a person's identity under the Personal Data Protection Law: an administrator's act, with a reason. */
  erasePersonalData: ['administrator'],
  /** Who did what, event by event: auditors, and the administrators answerable for it. */
  readAuditTrail: ['auditor', 'administrator'],
  /** Who read whose personal data: auditors, and the administrators answerable for it. */
  readPersonalDataReads: ['auditor', 'administrator'],
  /** The process's metrics at /metrics, besides the scraper's token: how busy the office is and where it fails. */
  readMetrics: ['administrator', 'auditor'],
  /** At the national level: every province's reports added up, no person named. */
  readNationalRollUp: ['auditor'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * Recomputing the past is the administrators' when policy or the map changed; when the register
 * did (a removal or a death recorded late), it follows from what the clerk keeping it recorded.
 */
export function recomputing(cause: { readonly kind: string }): Permission {
  return cause.kind === 'register-change' ? 'keepRegister' : 'applyRetroactiveChanges';
}
