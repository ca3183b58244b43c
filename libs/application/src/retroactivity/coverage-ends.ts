import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { type Admissions, Beneficiaries } from '#domain';
import { namedBeneficiary, UpdateBeneficiary } from '../beneficiaries/beneficiary-commands.js';
import { type Actor, type CommandContext, EventSourcing, requireRole } from '../event-sourcing.js';
import { PolicyVersions } from '../policies/policy-catalog.js';
import { RETROACTIVITY_READS, type RetroactivityReads } from '../ports/index.js';
import { type RecomputationOutcome, recomputeSources } from './retroactive-policies.js';
import { loadCapHoldings, previewRecomputation, type RecomputationPreview } from './stay-recomputation.js';

/** A change to the register that ends coverage on a date, possibly in the past. */
export type CoverageEnd = Extract<Beneficiaries.BeneficiaryCommand, { type: 'RecordDeath' | 'RemoveFromRegister' }>;

export interface CoverageEndPreview extends RecomputationPreview {
  readonly beneficiaryId: string;
  readonly on: string;
  readonly position: string;
}

/** The cause the recoveries cite: the beneficiary, what ended their coverage, and when. */
function causeOf(beneficiaryId: string, end: CoverageEnd): Admissions.AdjustmentCause {
  return { kind: 'register-change', id: `${beneficiaryId}:${end.type === 'RecordDeath' ? 'died' : 'removed'}:${end.data.on}` };
}

/**
 * Removals from the register and deaths, recorded on the date they took effect however late they
 * are learnt: what was paid for services after that date is recomputed like after any retroactive
 * change, and each stay or claim records its recovery for an approver to approve.
 */
@Injectable()
export class CoverageEnds {
  constructor(
    @Inject(RETROACTIVITY_READS) private readonly reads: RetroactivityReads,
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(PolicyVersions) private readonly policies: PolicyVersions,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  private servicesFrom(beneficiaryId: string, on: string) {
    return Promise.all([this.reads.staysDischargedFrom(on, [beneficiaryId]), this.reads.claimsServedFrom(on, [beneficiaryId])]);
  }

  /** What recording the end would recover, decided by the same domain code; records nothing. */
  async preview(beneficiaryId: string, end: CoverageEnd, actor: Actor): Promise<CoverageEndPreview> {
    requireRole(actor, 'keepRegister', 'previewing the end of a coverage');
    const current = await namedBeneficiary(this.sourcing, beneficiaryId);
    const ended = Beneficiaries.decide(end, current).reduce(Beneficiaries.evolve, current);
    const [position, [stays, claims], policyOn] = await Promise.all([
      this.reads.position(),
      this.servicesFrom(beneficiaryId, end.data.on),
      this.policies.inForce(),
    ]);
    const recomputation = previewRecomputation(stays, claims, () => ended, policyOn, causeOf(beneficiaryId, end), await loadCapHoldings(this.reads, claims));
    return { beneficiaryId, on: end.data.on, position, ...recomputation };
  }

  /** Records the removal or death, then recomputes every stay and claim served from its date; a second run records nothing. */
  async record(beneficiaryId: string, end: CoverageEnd, context: CommandContext): Promise<{ beneficiary: Beneficiaries.Beneficiary } & RecomputationOutcome> {
    const beneficiary = await this.commands.execute(new UpdateBeneficiary(beneficiaryId, end, context));
    const [stays, claims] = await this.servicesFrom(beneficiaryId, end.data.on);
    return { beneficiary, ...(await recomputeSources(this.commands, this.sourcing, stays, claims, causeOf(beneficiaryId, end), context.actor)) };
  }
}
