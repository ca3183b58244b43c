import { liveSchemaOf, ProjectionRunner, type RebuildProgress, readModelChecksum } from '#projections';
import { ALL_PROJECTIONS } from '#read-models';
import { loadConfig, openRuntime, type Runtime } from '#runtime';

const USAGE = `Usage: npm run cli -- <command> [projection ...]

Commands:
  rebuild [projection ...]   replay the whole log into fresh tables and swap them in (all projections by default);
                             the live tables keep serving until the swap
  checksum [projection ...]  print a digest of each read model; equal digests mean identical read models
  --help                     this text

Projections: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}
Configuration comes from the same environment variables as the API (DATABASE_URL, EVENT_STORE, …).`;

class UsageError extends Error {}

function selectProjections(names: readonly string[]): typeof ALL_PROJECTIONS {
  const unknown = names.filter((name) => !ALL_PROJECTIONS.some((p) => p.name === name));
  if (unknown.length > 0) throw new UsageError(`unknown projection ${unknown.join(', ')}; known: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}`);
  return names.length === 0 ? ALL_PROJECTIONS : ALL_PROJECTIONS.filter((p) => names.includes(p.name));
}

function progressLine(progress: RebuildProgress, startedAt: number): string {
  const done = progress.head > 0n ? Number((progress.position * 1000n) / progress.head) / 10 : 100;
  const elapsed = (Date.now() - startedAt) / 1000;
  const eta = done > 0 ? (elapsed * (100 - done)) / done : 0;
  return `${progress.projection}: ${progress.events.toLocaleString('en')} events, ${Math.round(progress.eventsPerSecond).toLocaleString('en')} events/s, ${done.toFixed(1)}%, ETA ${eta.toFixed(1)} s`;
}

async function rebuild(runtime: Runtime, names: readonly string[]): Promise<void> {
  const projections = selectProjections(names);
  const runner = new ProjectionRunner(runtime.store, runtime.pool, projections, { log: (message) => process.stderr.write(`${message}\n`) });
  await runner.prepare();
  for (const projection of projections) {
    const startedAt = Date.now();
    await runner.rebuild(projection, (progress) => process.stderr.write(`\r${progressLine(progress, startedAt)}`));
    process.stderr.write('\n');
  }
}

async function checksum(runtime: Runtime, names: readonly string[]): Promise<void> {
  for (const projection of selectProjections(names)) {
    console.log(`${projection.name} ${await readModelChecksum(runtime.pool, liveSchemaOf(projection))}`);
  }
}

async function main(args: readonly string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || rest.includes('--help')) {
    console.log(USAGE);
    if (command === undefined) process.exitCode = 2;
    return;
  }
  const run = { rebuild, checksum }[command];
  if (!run) throw new UsageError(`unknown command "${command}"`);
  selectProjections(rest);
  const runtime = await openRuntime(loadConfig());
  try {
    await run(runtime, rest);
  } finally {
    await runtime.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
