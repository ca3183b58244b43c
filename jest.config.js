/** Jest in ESM mode (NestJS 12 is ESM-only); SWC strips types and keeps decorator metadata. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
  },
];

const lib = (name) => `<rootDir>/libs/${name}/src/index.ts`;

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^#event-store$': lib('event-store'),
    '^#event-store/port$': '<rootDir>/libs/event-store/src/port.ts',
    '^#database$': lib('database'),
    '^#domain$': lib('domain'),
    '^#application$': lib('application'),
    '^#application/ports$': '<rootDir>/libs/application/src/ports/index.ts',
    '^#runtime$': lib('runtime'),
    '^#documents$': lib('documents'),
    '^#read-models$': '<rootDir>/projections/index.ts',
    '^#projection-runner$': lib('projection-runner'),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};

/** What needs a database, a process or a browser is named so: `*.int.spec.ts`, `*.e2e.spec.ts`, `*.browser.spec.ts`. */
const integrationSuffixes = ['int', 'e2e', 'browser'];

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,projections,test}/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...integrationSuffixes.map((suffix) => `\\.${suffix}\\.spec\\.ts$`)],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: integrationSuffixes.map((suffix) => `<rootDir>/{apps,libs,projections,test}/**/*.${suffix}.spec.ts`),
      globalSetup: '<rootDir>/test/global-setup.mjs',
      globalTeardown: '<rootDir>/test/global-teardown.mjs',
    },
  ],
  testTimeout: 60000,
  // Both cores: most of an integration test's time is spent waiting on PostgreSQL, PGlite or Chromium.
  maxWorkers: 2,
};
