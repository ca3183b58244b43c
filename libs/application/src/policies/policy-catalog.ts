import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CatalogVersion, officialsVersions, ownEntry, PolicyCatalog, type PolicyVersion, policyInForce, type UniversalCheckVersion, universalCheckVersions } from '#domain';
import { type CommandContext, EventSourcing, requireRole } from '../event-sourcing.js';

/**
 * An administrator publishing a version in one step: only a version taking effect after today
 * (it changes nothing already paid). A version with past effect is drafted instead
 * ({@link DraftPolicyVersion}) and confirmed by another administrator (`RetroactivePolicies.confirm`).
 */
export class PublishPolicyVersion extends Command<{ versionId: string; published: boolean }> {
  constructor(
    /** Untrusted: checked against the policy schema by the decision. */
    readonly version: unknown,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** A catalog file shipped with the system (`policies/*.json`), published at start-up whatever its dates. */
export class PublishCatalogFile extends Command<{ versionId: string; published: boolean }> {
  constructor(
    readonly version: unknown,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** A version drafted for another administrator to confirm: the first half of publishing a version with past effect. */
export class DraftPolicyVersion extends Command<PolicyDraftStatus> {
  constructor(
    readonly version: unknown,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export interface PolicyDraftStatus {
  readonly versionId: string;
  readonly effectiveFrom: string;
  /** `published` without a draft: the same version was already published (a catalog file, or in one step). */
  readonly status: 'drafted' | 'confirmed' | 'published';
  readonly draftedBy?: string;
  readonly confirmedBy?: string;
}

export const policyCatalog = { evolve: PolicyCatalog.evolve, initial: PolicyCatalog.initialPolicyCatalog };

/** Today in the province (Vietnam, UTC+7): what "past effect" is measured against. */
export function provinceToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

async function publishOnCatalog(sourcing: EventSourcing, command: PolicyCatalog.PolicyCatalogCommand, version: unknown, context: CommandContext): Promise<{ versionId: string; published: boolean }> {
  const { appended } = await sourcing.decideOn(PolicyCatalog.POLICY_CATALOG_STREAM, policyCatalog, (current) => PolicyCatalog.decide(command, current), context);
  // The decision has checked the id by now (or an earlier run of this command did).
  return { versionId: String((version as { id: unknown }).id), published: appended.length > 0 };
}

@CommandHandler(PublishPolicyVersion)
export class PublishPolicyVersionHandler implements ICommandHandler<PublishPolicyVersion> {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  execute({ version, context }: PublishPolicyVersion): Promise<{ versionId: string; published: boolean }> {
    requireRole(context.actor, 'publishPolicy', 'publishing a policy version');
    return publishOnCatalog(this.sourcing, { type: 'PublishPolicyVersion', data: { version, today: provinceToday() } }, version, context);
  }
}

@CommandHandler(PublishCatalogFile)
export class PublishCatalogFileHandler implements ICommandHandler<PublishCatalogFile> {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  execute({ version, context }: PublishCatalogFile): Promise<{ versionId: string; published: boolean }> {
    requireRole(context.actor, 'publishPolicy', 'publishing a policy catalog file');
    return publishOnCatalog(this.sourcing, { type: 'PublishCatalogFile', data: { version } }, version, context);
  }
}

/** Where a version stands in the catalog; undefined when it is neither drafted nor published. */
export function draftStatusIn(catalog: PolicyCatalog.PolicyCatalog, versionId: string): PolicyDraftStatus | undefined {
  const draft = ownEntry(catalog.drafts, versionId);
  if (draft) {
    const { version, draftedBy, confirmedBy } = draft;
    return { versionId, effectiveFrom: version.effectiveFrom, status: confirmedBy === undefined ? 'drafted' : 'confirmed', draftedBy, ...(confirmedBy === undefined ? {} : { confirmedBy }) };
  }
  const published = catalog.versions.find((version) => version.id === versionId);
  return published && { versionId, effectiveFrom: published.effectiveFrom, status: 'published' };
}

@CommandHandler(DraftPolicyVersion)
export class DraftPolicyVersionHandler implements ICommandHandler<DraftPolicyVersion> {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async execute({ version, context }: DraftPolicyVersion): Promise<PolicyDraftStatus> {
    requireRole(context.actor, 'applyRetroactiveChanges', 'drafting a policy version');
    const { state } = await this.sourcing.decideOn(
      PolicyCatalog.POLICY_CATALOG_STREAM,
      policyCatalog,
      (current) => PolicyCatalog.decide({ type: 'DraftPolicyVersion', data: { version, by: context.actor.username } }, current),
      context,
    );
    return draftStatusIn(state, String((version as { id: unknown }).id))!;
  }
}

/** Every published policy version, read from the log for each decision (the stream is short). */
@Injectable()
export class PolicyVersions {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async catalog(): Promise<PolicyCatalog.PolicyCatalog> {
    return (await this.sourcing.load(PolicyCatalog.POLICY_CATALOG_STREAM, policyCatalog.evolve, policyCatalog.initial)).state;
  }

  /** Every published version, of every programme. */
  async all(): Promise<readonly CatalogVersion[]> {
    return (await this.catalog()).versions;
  }

  /** The versions of the officials' regimes. */
  async officials(): Promise<readonly PolicyVersion[]> {
    return officialsVersions(await this.all());
  }

  /** The officials' version in force on each date, as decisions on stays and claims need it. */
  async inForce(): Promise<(date: string) => PolicyVersion | undefined> {
    const versions = await this.officials();
    return (date) => policyInForce(versions, date);
  }

  /** The version of a universal-check programme in force on each date, as decisions on checks need it. */
  async universalCheckInForce(programme: string): Promise<(date: string) => UniversalCheckVersion | undefined> {
    const versions = universalCheckVersions(await this.all(), programme);
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
        throw new Error(`policy catalog ${join(dir, name)} is not valid JSON: ${(error as Error).message}`, { cause: error });
      }
      return { file: join(dir, name), version, commandId: `policy-file-${createHash('sha256').update(text).digest('hex').slice(0, 32)}` };
    }),
  );
}
