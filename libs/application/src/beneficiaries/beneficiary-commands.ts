import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Beneficiaries, NationalIds } from '#domain';
import { type CommandContext, EventSourcing, type Loaded, NotFound, requireRole } from '../event-sourcing.js';
import { idFromCommand } from '../ids.js';
import { PERSONAL_DATA, type PersonalDataKeyring } from '../ports/index.js';

export const beneficiaryAggregate = { evolve: Beneficiaries.evolve, initial: Beneficiaries.initialBeneficiary };
const nationalIdAggregate = { evolve: NationalIds.evolve, initial: NationalIds.initialNationalIdReservation };

export function beneficiaryStreamId(beneficiaryId: string): string {
  return `beneficiary-${beneficiaryId}`;
}

/** A beneficiary's state as other aggregates' decisions need it (the initial state for an unknown id). */
export async function beneficiaryOf(sourcing: EventSourcing, beneficiaryId: string): Promise<Beneficiaries.Beneficiary> {
  return (await sourcing.load(beneficiaryStreamId(beneficiaryId), beneficiaryAggregate.evolve, beneficiaryAggregate.initial)).state;
}

/** The beneficiary a command's body names (`beneficiaryId`): an id never enrolled is not found. */
export async function namedBeneficiary(sourcing: EventSourcing, beneficiaryId: string): Promise<Beneficiaries.Beneficiary> {
  const state = await beneficiaryOf(sourcing, beneficiaryId);
  if (state.status === 'unknown') throw new NotFound(`no beneficiary ${beneficiaryId} on the register`, 'beneficiaryId');
  return state;
}

/**
 * The streams that may hold a national id's reservation: today's, named by a keyed hash of the
 * number, and the one named by the number itself, where reservations made before were written
 * (still read, never written again).
 */
export function nationalIdStreams(keys: PersonalDataKeyring, nationalId: string): { readonly keyed: string; readonly legacy: string } {
  return { keyed: NationalIds.nationalIdStreamId(keys.reservationKey(nationalId)), legacy: NationalIds.nationalIdStreamId(nationalId) };
}

type Enrolment = Omit<Beneficiaries.Enrolment, 'beneficiaryId'>;

export class EnrolBeneficiary extends Command<{ beneficiaryId: string }> {
  constructor(
    readonly enrolment: Enrolment,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Enrolment reserves the national id number (its own stream, so two enrolments of one person
 * cannot both pass) and writes the beneficiary's stream, both decided before either is written and
 * written together: on PostgreSQL in one transaction, so an append the database refuses leaves no
 * reservation behind. Where the store appends in order (EventStoreDB) an interrupted enrolment can
 * still leave one, which a later enrolment takes over once it is seen abandoned. The reservation's
 * stream is named by a keyed hash of the number; a number reserved before that, in a stream named
 * by the number itself, is still taken.
 */
@CommandHandler(EnrolBeneficiary)
export class EnrolBeneficiaryHandler implements ICommandHandler<EnrolBeneficiary> {
  constructor(
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataKeyring,
  ) {}

  async execute({ enrolment, context }: EnrolBeneficiary): Promise<{ beneficiaryId: string }> {
    requireRole(context.actor, 'keepRegister', 'enrolling a beneficiary');
    const beneficiaryId = idFromCommand(context.commandId, 'beneficiary');
    return this.sourcing.retrying(async () => {
      const beneficiary = await this.sourcing.load(beneficiaryStreamId(beneficiaryId), beneficiaryAggregate.evolve, beneficiaryAggregate.initial, context);
      if (beneficiary.alreadyHandled) return { beneficiaryId };
      const enrolled = Beneficiaries.decide({ type: 'EnrolBeneficiary', data: { ...enrolment, beneficiaryId } }, beneficiary.state);
      const reserve = { type: 'ReserveNationalId', data: { nationalId: enrolment.nationalId, beneficiaryId } } as const;
      const streams = nationalIdStreams(this.personalData, enrolment.nationalId);
      const legacy = await this.sourcing.load(streams.legacy, nationalIdAggregate.evolve, nationalIdAggregate.initial);
      // Decided on only for its refusal: nothing is written to a stream named by the number any more.
      NationalIds.decide(reserve, legacy.state, await this.abandoned(legacy));
      const reservation = await this.sourcing.load(streams.keyed, nationalIdAggregate.evolve, nationalIdAggregate.initial);
      const reserved = NationalIds.decide(reserve, reservation.state, await this.abandoned(reservation));
      await this.sourcing.appendTogether(
        [
          { loaded: reservation, events: reserved, commandId: context.commandId },
          { loaded: beneficiary, events: enrolled, commandId: context.commandId },
        ],
        context,
      );
      return { beneficiaryId };
    });
  }

  /** A reservation whose beneficiary is still unwritten a minute later was left by an interrupted enrolment. */
  private async abandoned(reservation: Loaded<NationalIds.NationalIdReservation>): Promise<boolean> {
    const holder = reservation.state.beneficiaryId;
    const taken = reservation.events[reservation.events.length - 1];
    if (!holder || !taken || Date.now() - taken.recordedAt.getTime() < ABANDONED_AFTER_MS) return false;
    return (await this.sourcing.store.readStream(beneficiaryStreamId(holder), { maxCount: 1 })).length === 0;
  }
}

/** How long after its first write an interrupted two-write command (enrolment, listing a stay or claim) is taken as abandoned. */
export const ABANDONED_AFTER_MS = 60_000;

export class UpdateBeneficiary extends Command<Beneficiaries.Beneficiary> {
  constructor(
    readonly beneficiaryId: string,
    readonly command: Exclude<Beneficiaries.BeneficiaryCommand, { type: 'EnrolBeneficiary' | 'ErasePersonalData' }>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Position changes, reclassifications, retirement, death and removal: one decision on the beneficiary's stream. */
@CommandHandler(UpdateBeneficiary)
export class UpdateBeneficiaryHandler implements ICommandHandler<UpdateBeneficiary> {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async execute({ beneficiaryId, command, context }: UpdateBeneficiary): Promise<Beneficiaries.Beneficiary> {
    requireRole(context.actor, 'keepRegister', 'changing the register');
    const { state } = await this.sourcing.decideOn(
      beneficiaryStreamId(beneficiaryId),
      beneficiaryAggregate,
      (current) => {
        if (current.status === 'unknown') throw new NotFound(`no beneficiary ${beneficiaryId} on the register`);
        return Beneficiaries.decide(command, current);
      },
      context,
    );
    return state;
  }
}

export class ErasePersonalData extends Command<void> {
  constructor(
    readonly beneficiaryId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Erases a person's name, national id and date of birth: records the fact (with its reason, and
 * nothing personal), then destroys their key, after which every event of theirs reads without
 * them. The fact comes first, so no erasure goes unrecorded; a retry of the same command destroys
 * the key if a crash came between.
 */
@CommandHandler(ErasePersonalData)
export class ErasePersonalDataHandler implements ICommandHandler<ErasePersonalData> {
  constructor(
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataKeyring,
  ) {}

  async execute({ beneficiaryId, reason, context }: ErasePersonalData): Promise<void> {
    requireRole(context.actor, 'erasePersonalData', 'erasing personal data');
    await this.sourcing.decideOn(
      beneficiaryStreamId(beneficiaryId),
      beneficiaryAggregate,
      (current) => {
        if (current.status === 'unknown') throw new NotFound(`no beneficiary ${beneficiaryId} on the register`);
        return Beneficiaries.decide({ type: 'ErasePersonalData', data: { reason } }, current);
      },
      context,
    );
    await this.personalData.erase(beneficiaryId);
  }
}
