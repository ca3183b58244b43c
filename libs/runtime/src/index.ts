export { type AppConfig, ConfigError, type ImportLimits, loadConfig } from './config.js';
export { openRuntime, type Runtime } from './runtime.js';
export { ProjectionsService, Public, PUBLIC_ROUTE, RUNTIME, RuntimeModule } from './nest.js';
export { drainHttpServer, runProcess } from './process.js';
export { ProbesController } from './health/probes.controller.js';
export { projectionLags } from './health/projection-lag.js';
export { keepGeneratedSecret } from './generated-secrets.js';
export { masterKeyId, opensEveryStoredKey, PersonalDataKeys, readMasterKey } from './personal-data/personal-data-keys.js';
export { PersonalDataEventStore } from './personal-data/personal-data-store.js';
