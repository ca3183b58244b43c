import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PolicyCatalog, type PolicyVersion, policyInForce } from '#domain';
import { type CommandContext, EventSourcing, requireRole } from '../event-sourcing.js';

export class PublishPolicyVersion extends Command<{ versionId: string; published: boolean }> {
  constructor(
    /** Untrusted: checked against the policy schema by the decision. */
    readonly version: unknown,
    readonly context: CommandContext,
  ) {
    super();
  }
}

const catalog = { evolve: PolicyCatalog.evolve, initial: PolicyCatalog.initialPolicyCatalog };

@CommandHandler(PublishPolicyVersion)
export class PublishPolicyVersionHandler implements ICommandHandler<PublishPolicyVersion> {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async execute({ version, context }: PublishPolicyVersion): Promise<{ versionId: string; published: boolean }> {
    requireRole(context.actor, 'publishPolicy', 'publishing a policy version');
    const { appended } = await this.sourcing.decideOn(
      PolicyCatalog.POLICY_CATALOG_STREAM,
      catalog,
      (current) => PolicyCatalog.decide({ type: 'PublishPolicyVersion', data: { version } }, current),
      context,
    );
    // The decision has checked the id by now (or an earlier run of this command did).
    return { versionId: String((version as { id: unknown }).id), published: appended.length > 0 };
  }
}

/** Every published policy version, read from the log for each decision (the stream is short). */
@Injectable()
export class PolicyVersions {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async all(): Promise<readonly PolicyVersion[]> {
    return (await this.sourcing.load(PolicyCatalog.POLICY_CATALOG_STREAM, catalog.evolve, catalog.initial)).state.versions;
  }

  /** The version in force on each date, as decisions need it. */
  async inForce(): Promise<(date: string) => PolicyVersion | undefined> {
    const versions = await this.all();
    return (date) => policyInForce(versions, date);
  }
}

/** The catalog files shipped in `dir` (*.json), each published under a command id naming its content. */
export async function catalogFiles(dir: string): Promise<{ file: string; version: unknown; commandId: string }[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(join(dir, name), 'utf8');
      let version: unknown;
      try {
        version = JSON.parse(text);
      } catch (error) {
        throw new Error(`policy catalog ${join(dir, name)} is not valid JSON: ${(error as Error).message}`);
      }
      return { file: join(dir, name), version, commandId: `policy-file-${createHash('sha256').update(text).digest('hex').slice(0, 32)}` };
    }),
  );
}
