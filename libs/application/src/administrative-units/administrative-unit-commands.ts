import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AdministrativeUnits } from '#domain';
import { type CommandContext, EventSourcing, requireRole } from '../event-sourcing.js';

const registry = { evolve: AdministrativeUnits.evolve, initial: AdministrativeUnits.initialAdministrativeUnits };

export class RecordUnitChanges extends Command<{ recorded: number }> {
  constructor(
    readonly changes: readonly AdministrativeUnits.UnitChange[],
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordUnitChanges)
export class RecordUnitChangesHandler implements ICommandHandler<RecordUnitChanges> {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async execute({ changes, context }: RecordUnitChanges): Promise<{ recorded: number }> {
    requireRole(context.actor, 'applyRetroactiveChanges', 'changing the administrative units');
    const { appended } = await this.sourcing.decideOn(
      AdministrativeUnits.ADMINISTRATIVE_UNITS_STREAM,
      registry,
      (current) => AdministrativeUnits.decide({ type: 'RecordUnitChanges', data: { changes } }, current),
      context,
    );
    return { recorded: appended.length };
  }
}

/** The administrative units over time, read from the log (one short stream). */
@Injectable()
export class AdministrativeUnitsRegistry {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async current(): Promise<AdministrativeUnits.AdministrativeUnits> {
    return (await this.sourcing.load(AdministrativeUnits.ADMINISTRATIVE_UNITS_STREAM, registry.evolve, registry.initial)).state;
  }
}

/** The unit files shipped in `dir` (*.json, each `{ changes: [...] }`), each recorded under a command id naming its content. */
export async function unitFiles(dir: string): Promise<{ file: string; changes: AdministrativeUnits.UnitChange[]; commandId: string }[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return Promise.all(
    names
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map(async (name) => {
        const text = await readFile(join(dir, name), 'utf8');
        const parsed = JSON.parse(text) as { changes?: unknown };
        if (!Array.isArray(parsed.changes)) throw new Error(`administrative units file ${join(dir, name)} must hold { "changes": [...] }`);
        return {
          file: join(dir, name),
          changes: parsed.changes as AdministrativeUnits.UnitChange[],
          commandId: `units-file-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`,
        };
      }),
  );
}
