export { type AppConfig, ConfigError, type ImportLimits, loadConfig } from './config.js';
export { openRuntime, type Runtime } from './runtime.js';
export { ProjectionsService, RUNTIME, RuntimeModule } from './nest.js';
export { runProcess } from './process.js';
export { keepGeneratedSecret } from './generated-secrets.js';
export { PersonalDataKeys } from './personal-data/personal-data-keys.js';
export { PersonalDataEventStore } from './personal-data/personal-data-store.js';
export { SealedSecrets } from './sealing.js';
