import { Body, Controller, Get, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { type CommandContext, PolicyVersions, PublishPolicyVersion } from '#application';
import { Allowed, Ctx } from '../http/authentication.js';

@ApiTags('policy versions')
@ApiBearerAuth()
@Controller('policy-versions')
export class PoliciesController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(PolicyVersions) private readonly versions: PolicyVersions,
  ) {}

  @Get()
  all() {
    return this.versions.all();
  }

  @Get(':id')
  async one(@Param('id') id: string) {
    const version = (await this.versions.all()).find((candidate) => candidate.id === id);
    if (!version) throw new NotFoundException(`no policy version ${id}`);
    return version;
  }

  /** The same schema as the catalog files in `policies/`; an administrator only. */
  @Post()
  @ApiBody({ description: 'A policy version in the schema of the catalog files (see policies/lang-son-resolution-24-2024.json)', schema: { type: 'object' } })
  @Allowed('publishPolicy')
  publish(@Body() version: unknown, @Ctx() context: CommandContext) {
    return this.commands.execute(new PublishPolicyVersion(version, context));
  }
}
