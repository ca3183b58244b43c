import { Body, Controller, Get, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { type CommandContext, PolicyVersions, PublishPolicyVersion } from '#application';
import { Allowed, Ctx } from '../http/authentication.js';
import { Operation, SignedIn } from '../http/responses.js';
import { PolicyVersionBody, PublishedVersionBody } from './policy-version.body.js';

@ApiTags('policy versions')
@SignedIn()
@Controller('policy-versions')
export class PoliciesController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(PolicyVersions) private readonly versions: PolicyVersions,
  ) {}

  @Get()
  @Operation({ id: 'listPolicyVersions', summary: 'Every published policy version, in effect order', answer: [PolicyVersionBody] })
  all() {
    return this.versions.all();
  }

  @Get(':id')
  @Operation({ id: 'getPolicyVersion', summary: 'One published policy version (its id URL-encoded)', answer: PolicyVersionBody, errors: ['invalid', 'missing'] })
  async one(@Param('id') id: string) {
    const version = (await this.versions.all()).find((candidate) => candidate.id === id);
    if (!version) throw new NotFoundException(`no policy version ${id}`);
    return version;
  }

  /** The same schema as the catalog files in `policies/`; an administrator only. */
  @Post()
  @Operation({ id: 'publishPolicyVersion', summary: 'Publish a policy version taking effect from today or later', description: 'One with past effect is drafted instead (409 RetroactiveVersionNeedsDraft); 409 PolicyVersionIdTaken.', answer: PublishedVersionBody, created: true, errors: ['invalid', 'conflict'] })
  @ApiBody({ description: 'A policy version in the schema of the catalog files (see policies/lang-son-resolution-24-2024.json)', type: PolicyVersionBody })
  @Allowed('publishPolicy')
  publish(@Body() version: unknown, @Ctx() context: CommandContext) {
    return this.commands.execute(new PublishPolicyVersion(version, context));
  }
}
