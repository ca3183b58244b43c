import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { hasRole, PERMISSIONS, type UserView } from '#application';
import { readCheckpoint } from '#projections';
import { ALL_PROJECTIONS } from '#read-models';
import { ProjectionsService, RUNTIME, type Runtime } from '#runtime';
import { Public, SignedInUser } from '../http/authentication.js';

class ProjectionHealth {
  @ApiProperty({ example: 'stream_activity' }) name!: string;
  @ApiProperty({ description: 'Global position the read model has applied up to', example: '1024' }) position!: string;
  @ApiProperty({ description: 'Events it consumes that are in the log and not yet applied (counted up to 10,000)', example: '0' }) lag!: string;
}

class Health {
  @ApiProperty({ example: 'ok' }) status!: 'ok';
  @ApiProperty({ description: 'Position of the last event in the log', example: '1024' }) head!: string;
  @ApiProperty({ type: [ProjectionHealth] }) projections!: ProjectionHealth[];
  @ApiPropertyOptional({ description: 'To an administrator only', example: 'embedded PGlite' }) eventStore?: string;
  @ApiPropertyOptional({ description: 'To an administrator only', example: 'embedded PGlite in data/pglite' }) database?: string;
  @ApiPropertyOptional({ description: 'To an administrator only: whether this process runs the projections (otherwise a worker does)' }) projectionsInProcess?: boolean;
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Optional() @Inject(ProjectionsService) private readonly projections?: ProjectionsService,
  ) {}

  @Get()
  @ApiOkResponse({ type: Health, description: 'The event store answers; how far each projection has got; to a signed-in administrator, the configuration too' })
  async check(@SignedInUser() user: UserView | undefined): Promise<Health> {
    const head = await this.runtime.store.readHeadPosition();
    const projections = await Promise.all(
      ALL_PROJECTIONS.map(async ({ name, eventTypes }) => {
        const position = (await readCheckpoint(this.runtime.pool, name)) ?? 0n;
        const pending = head > position ? await this.runtime.store.readAll({ after: position, maxCount: 10_000, ...(eventTypes ? { eventTypes } : {}) }) : [];
        return { name, position: position.toString(), lag: String(pending.length) };
      }),
    );
    const health: Health = { status: 'ok', head: head.toString(), projections };
    if (!user || !hasRole(user, PERMISSIONS.readConfiguration)) return health;
    return { ...health, eventStore: this.runtime.store.name, database: this.runtime.databaseDescription, projectionsInProcess: this.projections !== undefined };
  }
}
