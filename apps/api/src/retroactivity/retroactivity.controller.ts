import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  AdministrativeUnitsRegistry,
  type CommandContext,
  DraftPolicyVersion,
  DraftReorganizationPlan,
  RecordUnitChanges,
  ReorganizationPlans,
  RetroactivePolicies,
} from '#application';
import type { AdministrativeUnits, Reorganizations } from '#domain';
import { Allowed, Ctx } from '../http/authentication.js';
import { Operation, SignedIn } from '../http/responses.js';
import { PolicyVersionBody } from '../policies/policy-version.body.js';
import {
  AdministrativeUnitBody,
  DraftedPolicyPreviewBody,
  PolicyConfirmationBody,
  PolicyDraftStatusBody,
  PolicyPreviewBody,
  ReorganizationBody,
  ReorganizationOutcomeBody,
  ReorganizationPlanBody,
  ReorganizationPreviewBody,
  UnitChangesBody,
  UnitChangesRecordedBody,
} from './retroactivity.views.js';

/**
 * Changes with past effect: policy versions with an effective date in the past, administrative
 * units over time, and reorganization plans. Policy versions and plans are drafted by one
 * administrator, previewed (nothing recorded) and confirmed by another; confirming records
 * adjustments, never edits.
 */
@ApiTags('retroactive changes')
@SignedIn()
@Controller()
export class RetroactivityController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(RetroactivePolicies) private readonly policies: RetroactivePolicies,
    @Inject(ReorganizationPlans) private readonly plans: ReorganizationPlans,
    @Inject(AdministrativeUnitsRegistry) private readonly units: AdministrativeUnitsRegistry,
  ) {}

  /**
   * What-if: every stay any version would change, old and new amounts, totals by regime and group.
   * Records nothing; a version with past effect is drafted, then previewed by its id.
   */
  @Post('policy-versions/preview')
  @HttpCode(200)
  @Operation({
    id: 'previewPolicyVersion',
    summary: 'What-if preview of any policy version (records nothing)',
    answer: PolicyPreviewBody,
    errors: ['invalid', 'conflict'],
  })
  @ApiBody({ description: 'A policy version in the schema of the catalog files', type: PolicyVersionBody })
  @Allowed('applyRetroactiveChanges')
  previewPolicy(@Body() version: unknown, @Ctx() context: CommandContext) {
    return this.policies.preview(version, context.actor);
  }

  /** The first half of publishing a version with past effect; another administrator confirms it. The same draft again records nothing. */
  @Post('policy-versions/drafts')
  @Operation({
    id: 'draftPolicyVersion',
    summary: 'Draft a policy version with past effect, for another administrator to confirm',
    description: '409 PolicyVersionIdTaken: the id is published or drafted with other content.',
    answer: PolicyDraftStatusBody,
    created: true,
    errors: ['invalid', 'conflict'],
  })
  @ApiBody({ description: 'A policy version in the schema of the catalog files', type: PolicyVersionBody })
  @Allowed('applyRetroactiveChanges')
  draftPolicy(@Body() version: unknown, @Ctx() context: CommandContext) {
    return this.commands.execute(new DraftPolicyVersion(version, context));
  }

  /** Drafts awaiting a second administrator's confirmation, for the administrators' screen. */
  @Get('policy-versions/drafts/pending')
  @Operation({
    id: 'listPendingPolicyDrafts',
    summary: 'Drafted policy versions awaiting another administrator’s confirmation',
    answer: [PolicyDraftStatusBody],
    // A malformed Command-Id header is refused on every route, reads too.
    errors: ['invalid'],
  })
  @Allowed('applyRetroactiveChanges')
  pendingPolicyDrafts(@Ctx() context: CommandContext) {
    return this.policies.pendingDrafts(context.actor);
  }

  /** Every stay the drafted version would change, old and new amounts, totals by regime and group, and the draft's status. Records nothing. */
  @Get('policy-versions/drafts/:id/preview')
  @Operation({
    id: 'previewDraftedPolicyVersion',
    summary: 'Preview a drafted policy version (records nothing)',
    answer: DraftedPolicyPreviewBody,
    errors: ['invalid', 'missing'],
  })
  @ApiParam({ name: 'id', description: 'The version id, URL-encoded (ids hold slashes: lang-son%2Freplacement-2025)' })
  @Allowed('applyRetroactiveChanges')
  previewDraftedPolicy(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.policies.previewDraft(id, context.actor);
  }

  /** Confirms the draft (not by who drafted it), which publishes it, and records the adjustments the preview showed. Again: nothing more. */
  @Post('policy-versions/drafts/:id/confirmation')
  @HttpCode(200)
  @Operation({
    id: 'confirmDraftedPolicyVersion',
    summary: 'Confirm a drafted policy version by its id: publishes it and records the adjustments',
    description: 'Another administrator than the drafter. 404 NoSuchPolicyDraft; 409 ApprovingOwnRequest: the drafter may not confirm.',
    answer: PolicyConfirmationBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @ApiParam({ name: 'id', description: 'The version id, URL-encoded' })
  @Allowed('applyRetroactiveChanges')
  confirmDraftedPolicy(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.policies.confirm(id, context);
  }

  /** As the confirmation above, naming the draft by the version previewed, which must be the one drafted. */
  @Post('policy-versions/confirmation')
  @HttpCode(200)
  @Operation({
    id: 'confirmPolicyVersion',
    summary: 'Confirm the drafted policy version sent, which must be the one drafted',
    description: '404 NoSuchPolicyDraft; 409 ApprovingOwnRequest: the drafter may not confirm; PolicyVersionIdTaken: not the version drafted.',
    answer: PolicyConfirmationBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @ApiBody({ description: 'The version previewed: the drafted version, as it was drafted', type: PolicyVersionBody })
  @Allowed('applyRetroactiveChanges')
  confirmPolicy(@Body() version: { id?: unknown }, @Ctx() context: CommandContext) {
    return this.policies.confirm(typeof version.id === 'string' ? version.id : '', context, version);
  }

  @Get('administrative-units')
  @Operation({ id: 'listAdministrativeUnits', summary: 'The administrative units with their names and ends over time', answer: [AdministrativeUnitBody] })
  administrativeUnits() {
    return this.units.current().then((registry) => Object.values(registry.units));
  }

  @Post('administrative-units/changes')
  @Operation({
    id: 'recordUnitChanges',
    summary: 'Record changes of administrative units (created, renamed, merged, split, abolished)',
    answer: UnitChangesRecordedBody,
    created: true,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @ApiBody({ type: UnitChangesBody })
  @Allowed('applyRetroactiveChanges')
  recordUnitChanges(@Body() body: { changes?: AdministrativeUnits.UnitChange[] }, @Ctx() context: CommandContext) {
    return this.commands.execute(new RecordUnitChanges(Array.isArray(body?.changes) ? body.changes : [body?.changes as never], context));
  }

  @Post('reorganizations')
  @Operation({
    id: 'draftReorganizationPlan',
    summary: 'Draft a reorganization plan, for another administrator to confirm',
    answer: ReorganizationBody,
    created: true,
    errors: ['invalid', 'conflict'],
  })
  @ApiBody({ type: ReorganizationPlanBody })
  @Allowed('applyRetroactiveChanges')
  draft(@Body() plan: Reorganizations.ReorganizationPlan, @Ctx() context: CommandContext) {
    return this.commands.execute(new DraftReorganizationPlan(plan, context));
  }

  /** Who is reclassified (old and new title, unit, group) and what their stays from the effective date would be adjusted by. */
  @Get('reorganizations/:id/preview')
  @Operation({
    id: 'previewReorganizationPlan',
    summary: 'Who a plan reclassifies and what their stays and claims would be adjusted by (records nothing)',
    answer: ReorganizationPreviewBody,
    errors: ['invalid', 'missing'],
  })
  @Allowed('applyRetroactiveChanges')
  previewPlan(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.plans.preview(id, context.actor);
  }

  /** Confirms the plan (not by who drafted it) and applies it: reclassifications, then adjustments. */
  @Post('reorganizations/:id/confirmation')
  @Operation({
    id: 'confirmReorganizationPlan',
    summary: 'Confirm a plan (not by who drafted it) and apply it: reclassifications, then adjustments',
    answer: ReorganizationOutcomeBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @HttpCode(200)
  @Allowed('applyRetroactiveChanges')
  confirmPlan(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.plans.confirm(id, context);
  }
}
