import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AdministrativeUnits, ownEntry, Residents } from '#domain';
import { AdministrativeUnitsRegistry } from '../administrative-units/administrative-unit-commands.js';
import { type CommandContext, EventSourcing, NotFound, requireRole } from '../event-sourcing.js';
import { idFromCommand } from '../ids.js';
import { PolicyVersions } from '../policies/policy-catalog.js';
import { PERSONAL_DATA, type PersonalDataKeyring } from '../ports/index.js';
import { todayInVietnam } from '../today.js';

export const residentAggregate = { evolve: Residents.evolve, initial: Residents.initialResident };

export function residentStreamId(residentId: string): string {
  return `resident-${residentId}`;
}

/** The unit carrying `unit` on `date`, then the units above it, nearest first: where a residence lies that day. */
export function placeOn(units: AdministrativeUnits.AdministrativeUnits, unit: string, date: string): string[] {
  const place: string[] = [];
  for (let code: string | undefined = AdministrativeUnits.unitCarrying(units, unit, date); code !== undefined && !place.includes(code);) {
    place.push(code);
    code = ownEntry(units.units, code)?.parent;
  }
  return place;
}

/** A residence names a unit of the registry that exists on the day it starts: anything else is no place. */
function requireUnitOn(units: AdministrativeUnits.AdministrativeUnits, unit: string, date: string): void {
  if (typeof unit === 'string' && typeof date === 'string' && AdministrativeUnits.nameOn(units, unit, date) === undefined)
    throw new NotFound(`no administrative unit ${unit} on ${date}`, 'residenceUnit');
}

export class RegisterResident extends Command<{ residentId: string }> {
  constructor(
    readonly registration: Omit<Residents.Registration, 'residentId'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * A resident's id is derived from a keyed hash of their national id number: one person is one
 * resident, so that no one is paid two checks a year under two records, and registering them again
 * is refused (`AlreadyRegistered`) whoever tries.
 */
@CommandHandler(RegisterResident)
export class RegisterResidentHandler implements ICommandHandler<RegisterResident> {
  constructor(
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(AdministrativeUnitsRegistry) private readonly units: AdministrativeUnitsRegistry,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataKeyring,
  ) {}

  async execute({ registration, context }: RegisterResident): Promise<{ residentId: string }> {
    requireRole(context.actor, 'keepRegister', 'registering a resident');
    const residentId = idFromCommand(this.personalData.reservationKey(registration.nationalId), 'resident');
    await this.sourcing.decideOn(
      residentStreamId(residentId),
      residentAggregate,
      async (current) => {
        const events = Residents.decide({ type: 'RegisterResident', data: { ...registration, residentId }, today: todayInVietnam() }, current);
        requireUnitOn(await this.units.current(), registration.residenceUnit, registration.from);
        return events;
      },
      context,
    );
    return { residentId };
  }
}

export class ActOnResident extends Command<Residents.Resident> {
  constructor(
    readonly residentId: string,
    readonly command:
      | { readonly type: 'ChangeResidence'; readonly data: { readonly residenceUnit: string; readonly from: string } }
      | { readonly type: 'CancelHealthCheck'; readonly data: { readonly checkId: string; readonly reason: string } }
      | { readonly type: 'EraseResidentPersonalData'; readonly data: { readonly reason: string } },
    readonly context: CommandContext,
  ) {
    super();
  }
}

const PERMISSION_OF = { ChangeResidence: 'keepRegister', CancelHealthCheck: 'recordHealthChecks', EraseResidentPersonalData: 'erasePersonalData' } as const;

/**
 * A move, a check cancelled (recorded wrongly: the check is then neither paid nor counted against
 * the year), or the person's identity erased (their key destroyed after the fact is recorded, as
 * for beneficiaries).
 */
@CommandHandler(ActOnResident)
export class ActOnResidentHandler implements ICommandHandler<ActOnResident> {
  constructor(
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(AdministrativeUnitsRegistry) private readonly units: AdministrativeUnitsRegistry,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataKeyring,
  ) {}

  async execute({ residentId, command, context }: ActOnResident): Promise<Residents.Resident> {
    requireRole(context.actor, PERMISSION_OF[command.type], 'changing a resident’s record');
    const { state } = await this.sourcing.decideOn(
      residentStreamId(residentId),
      residentAggregate,
      async (current) => {
        if (current.status === 'unknown') throw new NotFound(`no resident ${residentId} on the register`);
        switch (command.type) {
          case 'ChangeResidence': {
            const events = Residents.decide({ ...command, today: todayInVietnam() }, current);
            requireUnitOn(await this.units.current(), command.data.residenceUnit, command.data.from);
            return events;
          }
          case 'CancelHealthCheck':
            return Residents.decide({ type: 'CancelHealthCheck', data: { ...command.data, cancelledBy: context.actor.username } }, current);
          case 'EraseResidentPersonalData':
            return Residents.decide(command, current);
        }
      },
      context,
    );
    if (command.type === 'EraseResidentPersonalData') await this.personalData.erase(residentId);
    return state;
  }
}

export class RecordHealthCheck extends Command<Extract<Residents.ResidentEvent, { type: 'HealthCheckRecorded' }>['data']> {
  constructor(
    readonly residentId: string,
    readonly check: { readonly programme: string; readonly facility: string; readonly checkedOn: string; readonly checkKind: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * A check decided under the version of its programme in force on its date, with the resident's
 * residence placed on the map of that day: what it pays the facility, or why it pays nothing
 * (and nothing is recorded).
 */
@CommandHandler(RecordHealthCheck)
export class RecordHealthCheckHandler implements ICommandHandler<RecordHealthCheck> {
  constructor(
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(PolicyVersions) private readonly policies: PolicyVersions,
    @Inject(AdministrativeUnitsRegistry) private readonly units: AdministrativeUnitsRegistry,
  ) {}

  async execute({ residentId, check, context }: RecordHealthCheck): Promise<Extract<Residents.ResidentEvent, { type: 'HealthCheckRecorded' }>['data']> {
    requireRole(context.actor, 'recordHealthChecks', 'recording a health check');
    const checkId = idFromCommand(context.commandId, 'health-check');
    const { programme, ...facts } = check;
    const { appended } = await this.sourcing.decideOn(
      residentStreamId(residentId),
      residentAggregate,
      async (current) => {
        if (current.status === 'unknown') throw new NotFound(`no resident ${residentId} on the register`);
        const [policyOn, units] = await Promise.all([this.policies.universalCheckInForce(programme), this.units.current()]);
        return Residents.decide(
          {
            type: 'RecordHealthCheck',
            data: { ...facts, checkId, recordedBy: context.actor.username },
            context: { policyOn, placeOn: (unit, date) => placeOn(units, unit, date), today: todayInVietnam() },
          },
          current,
        );
      },
      context,
    );
    const recorded = appended.find((event) => event.type === 'HealthCheckRecorded') ?? (await this.recordedBefore(residentId, checkId));
    return recorded.data;
  }

  /** A retry of the same command: the check its first run recorded. */
  private async recordedBefore(residentId: string, checkId: string) {
    const { events } = await this.sourcing.load(residentStreamId(residentId), residentAggregate.evolve, residentAggregate.initial);
    const recorded = events.find((event) => event.type === 'HealthCheckRecorded' && (event.data as { checkId: string }).checkId === checkId);
    if (!recorded) throw new NotFound(`no health check ${checkId} of resident ${residentId}`);
    return recorded as unknown as Extract<Residents.ResidentEvent, { type: 'HealthCheckRecorded' }>;
  }
}
