import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { AdministrativeUnitsRegistry, type CommandContext, DraftReorganizationPlan, RecordUnitChanges, ReorganizationPlans, RetroactivePolicies } from '#application';
import type { AdministrativeUnits, Reorganizations } from '#domain';
import { Allowed, Ctx } from '../http/authentication.js';

/**
 * Changes with past effect: policy versions published with an effective date in the past,
 * administrative units over time, and reorganization plans. Each is previewed (nothing recorded)
 * before it is confirmed; confirming records adjustments, never edits.
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

  /** Every stay the version would change, old and new amounts, totals by regime and group. Records nothing. */
  @Post('policy-versions/preview')
  @HttpCode(200)
  @ApiBody({ description: 'A policy version in the schema of the catalog files', schema: { type: 'object' } })
  @Allowed('applyRetroactiveChanges')
  previewPolicy(@Body() version: unknown, @Ctx() context: CommandContext) {
    return this.policies.preview(version, context.actor);
  }

  /** Publishes the version (again: no effect) and records the adjustments the preview showed. */
  @Post('policy-versions/confirmation')
  @HttpCode(200)
  @ApiBody({ description: 'The version previewed', schema: { type: 'object' } })
  @Allowed('applyRetroactiveChanges')
  confirmPolicy(@Body() version: unknown, @Ctx() context: CommandContext) {
    return this.policies.confirm(version, context.actor, context.commandId);
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
