import { BACKEND_LABELS, usePostgresEventStore } from '../../../test/support/postgres-event-store.fixture.js';
import { describeProjectionRunner } from './projection-runner.behaviour.js';
import { insertRows } from './row-cache.js';

describeProjectionRunner(BACKEND_LABELS.pglite, usePostgresEventStore('pglite'), insertRows);
