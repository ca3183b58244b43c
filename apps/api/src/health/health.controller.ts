import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { readCheckpoint } from '#projections';
import { ALL_PROJECTIONS } from '#read-models';
import { ProjectionsService, RUNTIME, type Runtime } from '#runtime';
import { Public } from '../http/authentication.js';

class ProjectionHealth {
  @ApiProperty({ example: 'stream_activity' }) name!: string;
  @ApiProperty({ description: 'Global position the read model has applied up to', example: '1024' }) position!: string;
  @ApiProperty({ description: 'Events it consumes that are in the log and not yet applied (counted up to 10,000)', example: '0' }) lag!: string;
}

class Health {
  @ApiProperty({ example: 'ok' }) status!: 'ok';
  @ApiProperty({ example: 'embedded PGlite' }) eventStore!: string;
  @ApiProperty({ example: 'embedded PGlite in data/pglite' }) database!: string;
  @ApiProperty({ description: 'Position of the last event in the log', example: '1024' }) head!: string;
  @ApiProperty({ description: 'Whether this process runs the projections (otherwise a worker does)' }) projectionsInProcess!: boolean;
  @ApiProperty({ type: [ProjectionHealth] }) projections!: ProjectionHealth[];
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
  @ApiOkResponse({ type: Health, description: 'The event store answers; how far each projection has got' })
  async check(): Promise<Health> {
    const head = await this.runtime.store.readHeadPosition();
    const projections = await Promise.all(
      ALL_PROJECTIONS.map(async ({ name, eventTypes }) => {
        const position = (await readCheckpoint(this.runtime.pool, name)) ?? 0n;
        const pending = head > position ? await this.runtime.store.readAll({ after: position, maxCount: 10_000, ...(eventTypes ? { eventTypes } : {}) }) : [];
        return { name, position: position.toString(), lag: String(pending.length) };
      }),
    );
    return {
      status: 'ok',
      eventStore: this.runtime.store.name,
      database: this.runtime.databaseDescription,
      head: head.toString(),
      projectionsInProcess: this.projections !== undefined,
      projections,
    };
  }
}
