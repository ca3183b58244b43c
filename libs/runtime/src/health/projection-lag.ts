import { readCheckpoint, type ProjectionStatus } from '#projection-runner';
import { ALL_PROJECTIONS } from '#read-models';
import type { Runtime } from '../runtime.js';

/** How far one read model is behind the log. */
export interface ProjectionLag {
  readonly name: string;
  readonly position: bigint;
  /** Log positions after its checkpoint: 0 once it has read the whole log (its checkpoint follows the head). */
  readonly behind: bigint;
  /** Seconds since it last had read the whole log; 0 while it has; absent where another process runs it. */
  readonly seconds?: number;
  /** Its state in this process, when this process runs it. */
  readonly status?: ProjectionStatus;
}

/**
 * Every read model's lag, from its checkpoint and the log's head alone: no event is read, so a
 * probe stays cheap however far behind a projection is.
 */
export async function projectionLags(
  runtime: Runtime,
  statuses: readonly ProjectionStatus[] | undefined,
): Promise<{ head: bigint; projections: ProjectionLag[] }> {
  const head = await runtime.store.readHeadPosition();
  const now = runtime.clock().getTime();
  const projections = await Promise.all(
    ALL_PROJECTIONS.map(async ({ name }): Promise<ProjectionLag> => {
      const position = (await readCheckpoint(runtime.pool, name)) ?? 0n;
      const behind = head > position ? head - position : 0n;
      const status = statuses?.find((candidate) => candidate.name === name);
      if (!status) return { name, position, behind };
      const seconds = status.state === 'caught-up' && behind === 0n ? 0 : status.caughtUpAt ? (now - status.caughtUpAt.getTime()) / 1000 : undefined;
      return { name, position, behind, ...(seconds === undefined ? {} : { seconds }), status };
    }),
  );
  return { head, projections };
}
