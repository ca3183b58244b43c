import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { hasRole, PERMISSIONS, type UserView } from '#application';
import { ProjectionsService, projectionLags, RUNTIME, type Runtime } from '#runtime';
import { Public, SignedInUser } from '../http/authentication.js';
import { Anonymous, Operation } from '../http/responses.js';

class ProjectionHealth {
  @ApiProperty({ example: 'stream_activity' }) name!: string;
  @ApiProperty({ description: 'Global position the read model has applied up to', example: '1024' }) position!: string;
  @ApiProperty({ description: 'Log positions after its checkpoint: 0 once it has read the whole log', example: '0' }) lag!: string;
  @ApiPropertyOptional({
    description: 'Where this process runs it: caught-up, catching-up, failing (stopped at an event it cannot apply, retrying) or rebuilding',
    example: 'caught-up',
  })
  state?: string;
  @ApiPropertyOptional({
    description: 'To an administrator only, while it fails: the error on the event after this position',
    example: 'after position 1024: relation does not exist',
  })
  failure?: string;
}

class Health {
  @ApiProperty({ example: 'ok' }) status!: 'ok';
  @ApiProperty({ description: 'Position of the last event in the log', example: '1024' }) head!: string;
  @ApiProperty({ type: [ProjectionHealth] }) projections!: ProjectionHealth[];
  @ApiPropertyOptional({ description: 'To an administrator only', example: 'embedded PGlite' }) eventStore?: string;
  @ApiPropertyOptional({ description: 'To an administrator only', example: 'embedded PGlite in data/pglite' }) database?: string;
  @ApiPropertyOptional({ description: 'To an administrator only: whether this process runs the projections (otherwise a worker does)' })
  projectionsInProcess?: boolean;
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
  @Anonymous()
  @ApiBearerAuth()
  @Operation({
    id: 'getHealth',
    summary: 'The event store answers; how far each projection has got',
    description: 'Anyone may ask; a signed-in administrator sees the configuration and failures too. Probes: /health/live and /health/ready.',
    answer: Health,
  })
  async check(@SignedInUser() user: UserView | undefined): Promise<Health> {
    const administrator = user !== undefined && hasRole(user, PERMISSIONS.readConfiguration);
    const { head, projections: lags } = await projectionLags(this.runtime, this.projections?.runner.status());
    const projections = lags.map(({ name, position, behind, status }) => ({
      name,
      position: position.toString(),
      lag: behind.toString(),
      ...(status ? { state: status.state } : {}),
      ...(administrator && status?.failure ? { failure: `after position ${status.failure.position}: ${status.failure.error}` } : {}),
    }));
    const health: Health = { status: 'ok', head: head.toString(), projections };
    if (!administrator) return health;
    return { ...health, eventStore: this.runtime.store.name, database: this.runtime.databaseDescription, projectionsInProcess: this.projections !== undefined };
  }
}
