import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Admissions, Beneficiaries, ServiceIndex } from '#domain';
import { namedBeneficiary } from '../beneficiaries/beneficiary-commands.js';
import { listedInFlight, loadServiceIndex, type LoadedServiceIndex } from '../beneficiaries/service-index.js';
import { cardOf } from '../cards/card-commands.js';
import { type CommandContext, EventSourcing, NotFound, requireRole } from '../event-sourcing.js';
import { recomputing } from '../permissions.js';
import { idFromCommand } from '../ids.js';
import { FOLLOW_UPS, type FollowUps } from '../workflows/follow-ups.js';
import { PolicyVersions } from '../policies/policy-catalog.js';
import { todayInVietnam } from '../today.js';

export const admissionAggregate = { evolve: Admissions.evolve, initial: Admissions.initialAdmission };

type Recording = Omit<Extract<Admissions.AdmissionCommand, { type: 'RecordAdmission' }>['data'], 'admissionId' | 'recordedBy'>;

export class RecordAdmission extends Command<{ admissionId: string }> {
  constructor(
    readonly admission: Recording,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Discharge, date corrections and the approver's decision on the allowances. */
export class ActOnAdmission extends Command<Admissions.Admission> {
  constructor(
    readonly admissionId: string,
    readonly command:
      | { readonly type: 'RecordDischarge'; readonly data: { readonly dischargedOn: string } }
      | { readonly type: 'CorrectAdmissionDates'; readonly data: { readonly admittedOn: string; readonly dischargedOn: string; readonly reason: string } }
      | { readonly type: 'ApproveAdmissionAllowances' }
      | { readonly type: 'RejectAdmissionAllowances'; readonly data: { readonly reason: string } }
      | { readonly type: 'RecomputeEntitlements'; readonly data: { readonly cause: Admissions.AdjustmentCause } }
      | { readonly type: 'ApproveAdjustments' },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** What an admission's decisions need: the policy in force, the beneficiary's group on each day, and today. */
async function admissionContext(sourcing: EventSourcing, policies: PolicyVersions, beneficiaryId: string): Promise<Admissions.AdmissionContext> {
  const [policyOn, beneficiary] = await Promise.all([policies.inForce(), namedBeneficiary(sourcing, beneficiaryId)]);
  return { policyOn, groupOn: (date) => Beneficiaries.groupOn(beneficiary, date), today: todayInVietnam() };
}

/** The beneficiary's stays listed in the index other than `admissionId`, with their dates now; rejected stays do not count. */
async function otherStays(sourcing: EventSourcing, index: LoadedServiceIndex, admissionId: string): Promise<Admissions.StaySpan[]> {
  const spans = await Promise.all(
    index.state.stays
      .filter((listed) => listed.admissionId !== admissionId)
      .map(async (listed): Promise<Admissions.StaySpan | undefined> => {
        const { state } = await sourcing.load(Admissions.admissionStreamId(listed.admissionId), admissionAggregate.evolve, admissionAggregate.initial);
        if (state.status === 'none') return listedInFlight(index, listed.admissionId) ? listed : undefined;
        if (state.status === 'rejected') return undefined;
        return { admissionId: listed.admissionId, admittedOn: state.admittedOn, ...(state.dischargedOn ? { dischargedOn: state.dischargedOn } : {}) };
      }),
  );
  return spans.filter((span) => span !== undefined);
}

@CommandHandler(RecordAdmission)
export class RecordAdmissionHandler implements ICommandHandler<RecordAdmission> {
  constructor(
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(PolicyVersions) private readonly policies: PolicyVersions,
  ) {}

  /**
   * The stay is listed in the beneficiary's service index first, on the revision its overlap check
   * read, then written to its own stream: two stays of one person recorded at once cannot both
   * pass the check. A retry finds the stay already listed (and lists nothing) or already written.
   */
  async execute({ admission, context }: RecordAdmission): Promise<{ admissionId: string }> {
    requireRole(context.actor, 'recordStays', 'recording an admission');
    const admissionId = idFromCommand(context.commandId, 'admission');
    await this.sourcing.retrying(async () => {
      const stay = await this.sourcing.load(Admissions.admissionStreamId(admissionId), admissionAggregate.evolve, admissionAggregate.initial, context);
      if (stay.alreadyHandled) return;
      const index = await loadServiceIndex(this.sourcing, admission.beneficiaryId);
      const [decisionContext, card, stays] = await Promise.all([
        admissionContext(this.sourcing, this.policies, admission.beneficiaryId),
        cardOf(this.sourcing, admission.cardNumber),
        otherStays(this.sourcing, index, admissionId),
      ]);
      const events = Admissions.decide({ type: 'RecordAdmission', data: { ...admission, admissionId, recordedBy: context.actor.username } }, stay.state, {
        ...decisionContext,
        card,
        otherStays: stays,
      });
      await this.sourcing.append(
        index,
        ServiceIndex.decide({ type: 'ListStay', data: { admissionId, admittedOn: admission.admittedOn } }, index.state),
        context,
      );
      await this.sourcing.append(stay, events, context);
    });
    return { admissionId };
  }
}

@CommandHandler(ActOnAdmission)
export class ActOnAdmissionHandler implements ICommandHandler<ActOnAdmission> {
  constructor(
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(PolicyVersions) private readonly policies: PolicyVersions,
    @Inject(FOLLOW_UPS) private readonly followUps: FollowUps,
  ) {}

  async execute({ admissionId, command, context }: ActOnAdmission): Promise<Admissions.Admission> {
    const deciding = command.type === 'ApproveAdmissionAllowances' || command.type === 'RejectAdmissionAllowances' || command.type === 'ApproveAdjustments';
    if (command.type === 'RecomputeEntitlements') requireRole(context.actor, recomputing(command.data.cause), "recomputing a stay's allowances");
    else requireRole(context.actor, deciding ? 'decideClaims' : 'recordStays', deciding ? "deciding an admission's allowances" : 'recording a stay');
    const by = context.actor.username;
    const { state } = await this.sourcing.decideOn(
      Admissions.admissionStreamId(admissionId),
      admissionAggregate,
      async (current) => {
        if (current.status === 'none') throw new NotFound(`no admission ${admissionId}`);
        const domainCommand: Admissions.AdmissionCommand =
          command.type === 'ApproveAdmissionAllowances' || command.type === 'ApproveAdjustments'
            ? { type: command.type, data: { by } }
            : ({ type: command.type, data: { ...command.data, by } } as Admissions.AdmissionCommand);
        const decisionContext = await admissionContext(this.sourcing, this.policies, current.beneficiaryId);
        // Discharges and date corrections are checked against the other stays for overlap, as the whole stay is then known.
        const datesChange = command.type === 'RecordDischarge' || command.type === 'CorrectAdmissionDates';
        const stays = datesChange ? await otherStays(this.sourcing, await loadServiceIndex(this.sourcing, current.beneficiaryId), admissionId) : undefined;
        return Admissions.decide(domainCommand, current, { ...decisionContext, ...(stays ? { otherStays: stays } : {}) });
      },
      context,
    );
    if (deciding) await this.followUps.settle();
    return state;
  }
}
