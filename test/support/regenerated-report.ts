import type { Pool } from 'pg';
import type { EventStore } from '#event-store';
import { ProjectionRunner, type RebuildSettings } from '#projection-runner';
import { payments, registers, yearEndReport, type YearEndReport } from '#read-models';

/**
 * The year-end report as it was at `position`, regenerated the slow way: the read models built from
 * the log up to it into scratch schemas, read as the live report reads them, and dropped. The report
 * at a past position, read from the versions the projections keep, is tested against this.
 */
export async function regeneratedReport(store: EventStore, pool: Pool, rebuild: RebuildSettings, year: number, position: bigint): Promise<YearEndReport> {
  const runner = new ProjectionRunner(store, pool, [registers, payments], rebuild);
  const schemas = await runner.buildAt([registers, payments], position);
  try {
    return await yearEndReport(pool, year, { store, schemas, position: position.toString() });
  } finally {
    await runner.dropBuilt(schemas);
  }
}
