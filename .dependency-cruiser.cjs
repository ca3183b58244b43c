/**
 * The architecture as rules (`npm run lint:deps`, run before `npm test`). Inside out:
 *
 *   apps/*, libs/runtime, bench/   the composition: the only code that wires adapters to ports
 *     ↓
 *   projections/ (read models), libs/projection-runner (runner), libs/event-store, libs/database
 *     ↓                           adapters: they implement ports, and never call the application
 *   libs/application               use cases; owns its ports (libs/application/src/ports)
 *     ↓
 *   libs/domain                    plain TypeScript: decisions and rules, nothing else
 *
 * The layer rules bind production code. Specs, fixtures and test/ support compose whatever they
 * exercise (an integration spec opens a whole runtime), but production code never imports them.
 *
 * Paths are the sources': the package.json "imports" aliases (#domain, #runtime…) resolve through
 * their "types" condition to the .ts files, not to dist/.
 */

/** Test code: specs, fixtures, shared behaviours and contracts, and test/ support. */
const TEST_CODE = '(\\.(spec|fixture|behaviour|contract)\\.ts$)|(^test/)|(/testing/)';

/**
 * The event log's contract, which the application may use: the EventStore interface with its
 * types and errors, and how event ids derive from command ids (the application predicts them to
 * name the cause of a follow-up). It stays beside its implementations because the projection
 * runner reads the log through it too; everything else in libs/event-store is an adapter.
 */
const EVENT_LOG_PORT = '^libs/event-store/src/(port|event-store|event-ids)\\.ts$';

/** Drivers and frameworks of storage and HTTP, which only adapters and the composition use. */
const INFRASTRUCTURE_PACKAGES =
  '^node_modules/(@types/)?(pg|pg-copy-streams|typeorm|@nestjs/typeorm|@electric-sql|@eventstore|@nestjs/platform-express|@nestjs/swagger|@nestjs/terminus|express|pino|pino-http|nestjs-pino|prom-client|@opentelemetry)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one: neither can be understood, tested or loaded first on its own.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'Every import resolves (an alias missing from package.json "imports", a typo, a package not installed). ' +
        "Jest's global setup and teardown import the build (dist/), which need not exist to check the sources.",
      from: { pathNot: '^test/global-(setup|teardown)\\.mjs$' },
      to: { couldNotResolve: true },
    },
    {
      name: 'production-not-to-test-code',
      severity: 'error',
      comment: 'Specs may import fixtures; what ships never does. The benchmarks, like the specs, run on throwaway servers (test/support).',
      from: { pathNot: `${TEST_CODE}|^bench/` },
      to: { path: TEST_CODE },
    },
    {
      name: 'domain-imports-only-domain',
      severity: 'error',
      comment:
        'The domain is pure functions over plain data: no framework, no storage, and no node: module either (none is needed: ' +
        'keyed hashes of personal data are made with keys the runtime holds). Its specs may read the policy files (node:fs) and use their fixtures.',
      from: { path: '^libs/domain/src/', pathNot: TEST_CODE },
      to: { pathNot: '^libs/domain/src/' },
    },
    {
      name: 'application-not-to-composition-or-adapters',
      severity: 'error',
      comment:
        'The application reaches infrastructure only through its ports (libs/application/src/ports), which the composition root provides: ' +
        "never the runtime, the database, the projection runner, the read models or the apps. Of the event store, only the log's contract.",
      from: { path: '^libs/application/src/', pathNot: TEST_CODE },
      to: { path: '^(apps/|bench/|libs/(runtime|database|projection-runner)/|projections/)' },
    },
    {
      name: 'application-only-the-event-log-port',
      severity: 'error',
      comment: 'The EventStore interface, its errors and event ids are the port; the PostgreSQL and EventStoreDB stores are adapters.',
      from: { path: '^libs/application/src/', pathNot: TEST_CODE },
      to: { path: '^libs/event-store/', pathNot: EVENT_LOG_PORT },
    },
    {
      name: 'application-not-to-infrastructure-packages',
      severity: 'error',
      comment:
        'No database driver, ORM, HTTP framework, logger or metrics library in the use cases. @nestjs/common and @nestjs/cqrs are allowed: ' +
        'handlers are Nest providers dispatched by the CommandBus, and those packages give them only decorators, injection tokens and the bus ' +
        '(and @nestjs/core, for openApplication to open that module without HTTP).',
      from: { path: '^libs/application/src/', pathNot: TEST_CODE },
      to: { path: INFRASTRUCTURE_PACKAGES },
    },
    {
      name: 'adapters-not-to-application-or-composition',
      severity: 'error',
      comment: "Adapters implement ports: they may use the domain and the application's ports, never its handlers, the runtime or the apps.",
      from: { path: '^(libs/(event-store|database|projection-runner)/|projections/)', pathNot: TEST_CODE },
      to: { path: '^(apps/|bench/|libs/runtime/|libs/application/)', pathNot: '^libs/application/src/ports/' },
    },
    {
      name: 'database-is-the-bottom-adapter',
      severity: 'error',
      comment: 'Connections and migrations know nothing of what is stored in them.',
      from: { path: '^libs/database/', pathNot: TEST_CODE },
      to: { path: '^(libs/(event-store|projection-runner|domain|application)/|projections/)' },
    },
    {
      name: 'event-store-not-to-projections',
      severity: 'error',
      comment: 'The log knows nothing of what is built from it.',
      from: { path: '^libs/event-store/', pathNot: TEST_CODE },
      to: { path: '^(libs/projection-runner/|projections/)' },
    },
    {
      name: 'runner-not-to-read-models',
      severity: 'error',
      comment: 'The projection runner runs any projection it is given; the read models are handed to it by the composition.',
      from: { path: '^libs/projection-runner/', pathNot: TEST_CODE },
      to: { path: '^projections/' },
    },
    {
      name: 'only-apps-compose',
      severity: 'error',
      comment: 'The composition root (libs/runtime) is used by the apps and the benchmarks only; no library reaches an app.',
      from: { path: '^(libs|projections)/', pathNot: `^libs/runtime/|${TEST_CODE}` },
      to: { path: '^(apps/|bench/|libs/runtime/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|docker|docs)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // The aliases live in package.json "imports"; their "types" condition points at the sources.
    enhancedResolveOptions: {
      conditionNames: ['types', 'import', 'node', 'default'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: { text: { highlightFocused: true } },
  },
};
