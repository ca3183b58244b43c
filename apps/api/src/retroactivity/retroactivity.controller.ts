import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdministrativeUnitsRegistry, type CommandContext, DraftPolicyVersion, DraftReorganizationPlan, RecordUnitChanges, ReorganizationPlans, RetroactivePolicies } from '#application';
import type { AdministrativeUnits, Reorganizations } from '#domain';
import { Allowed, Ctx } from '../http/authentication.js';

/**
 * Changes with past effect: policy versions with an effective date in the past, administrative
 * units over time, and reorganization plans. Policy versions and plans are drafted by one
 * administrator, previewed (nothing recorded) and confirmed by another; confirming records
 * adjustments, never edits.
 */
@ApiTags('retroactive changes')
@ApiBearerAuth()
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
  @ApiOperation({ summary: 'What-if preview of any policy version (records nothing)' })
  @ApiBody({ description: 'A policy version in the schema of the catalog files', schema: { type: 'object' } })
  @Allowed('applyRetroactiveChanges')
  previewPolicy(@Body() version: unknown, @Ctx() context: CommandContext) {
    return this.policies.preview(version, context.actor);
  }

  /** The first half of publishing a version with past effect; another administrator confirms it. The same draft again records nothing. */
  @Post('policy-versions/drafts')
  @ApiOperation({ summary: 'Draft a policy version with past effect, for another administrator to confirm' })
  @ApiBody({ description: 'A policy version in the schema of the catalog files', schema: { type: 'object' } })
  @ApiCreatedResponse({ description: '{ versionId, effectiveFrom, status: drafted | confirmed | published, draftedBy, confirmedBy }' })
  @ApiConflictResponse({ description: 'PolicyVersionIdTaken: the id is published or drafted with other content' })
  @Allowed('applyRetroactiveChanges')
  draftPolicy(@Body() version: unknown, @Ctx() context: CommandContext) {
    return this.commands.execute(new DraftPolicyVersion(version, context));
  }

  /** Every stay the drafted version would change, old and new amounts, totals by regime and group, and the draft's status. Records nothing. */
  @Get('policy-versions/drafts/:id/preview')
  @ApiOperation({ summary: 'Preview a drafted policy version (records nothing)' })
  @ApiParam({ name: 'id', description: 'The version id, URL-encoded (ids hold slashes: lang-son%2Freplacement-2025)' })
  @ApiNotFoundResponse({ description: 'no drafted policy version with this id' })
  @Allowed('applyRetroactiveChanges')
  previewDraftedPolicy(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.policies.previewDraft(id, context.actor);
  }

  /** Confirms the draft (not by who drafted it), which publishes it, and records the adjustments the preview showed. Again: nothing more. */
  @Post('policy-versions/drafts/:id/confirmation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a drafted policy version: another administrator than the drafter; publishes it and records the adjustments' })
  @ApiParam({ name: 'id', description: 'The version id, URL-encoded' })
  @ApiOkResponse({ description: '{ versionId, staysExamined, claimsExamined, adjustments }' })
  @ApiNotFoundResponse({ description: 'NoSuchPolicyDraft' })
  @ApiConflictResponse({ description: 'ApprovingOwnRequest: the drafter may not confirm' })
  @Allowed('applyRetroactiveChanges')
  confirmDraftedPolicy(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.policies.confirm(id, context);
  }

  /** As the confirmation above, naming the draft by the version previewed, which must be the one drafted. */
  @Post('policy-versions/confirmation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the drafted policy version with the id of the version sent, which must be the one drafted' })
  @ApiBody({ description: 'The version previewed: the drafted version, as it was drafted', schema: { type: 'object' } })
  @ApiNotFoundResponse({ description: 'NoSuchPolicyDraft' })
  @ApiConflictResponse({ description: 'ApprovingOwnRequest: the drafter may not confirm; PolicyVersionIdTaken: not the version drafted' })
  @Allowed('applyRetroactiveChanges')
  confirmPolicy(@Body() version: { id?: unknown }, @Ctx() context: CommandContext) {
    return this.policies.confirm(typeof version.id === 'string' ? version.id : '', context, version);
  }

  @Get('administrative-units')
  administrativeUnits() {
    return this.units.current().then((registry) => Object.values(registry.units));
  }

  @Post('administrative-units/changes')
  @ApiBody({ description: '{ "changes": [{ "kind": "created" | "renamed" | "merged-into" | "split" | "abolished", "code", "from", … }] }', schema: { type: 'object' } })
  @Allowed('applyRetroactiveChanges')
  recordUnitChanges(@Body() body: { changes?: AdministrativeUnits.UnitChange[] }, @Ctx() context: CommandContext) {
    return this.commands.execute(new RecordUnitChanges(Array.isArray(body?.changes) ? body.changes : [body?.changes as never], context));
  }

  @Post('reorganizations')
  @ApiBody({ description: 'A plan: planId, title, decisionNumber, effectiveFrom, titles [{ title, group?, becomes: { title, group } }], units { old: new }', schema: { type: 'object' } })
  @Allowed('applyRetroactiveChanges')
  draft(@Body() plan: Reorganizations.ReorganizationPlan, @Ctx() context: CommandContext) {
    return this.commands.execute(new DraftReorganizationPlan(plan, context));
  }

  /** Who is reclassified (old and new title, unit, group) and what their stays from the effective date would be adjusted by. */
  @Get('reorganizations/:id/preview')
  @Allowed('applyRetroactiveChanges')
  previewPlan(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.plans.preview(id, context.actor);
  }

  /** Confirms the plan (not by who drafted it) and applies it: reclassifications, then adjustments. */
  @Post('reorganizations/:id/confirmation')
  @HttpCode(200)
  @Allowed('applyRetroactiveChanges')
  confirmPlan(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.plans.confirm(id, context);
  }
}
