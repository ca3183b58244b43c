import { BACKEND_LABELS, usePostgresEventStore } from '../../../test/support/postgres-event-store.fixture.js';
import { describeProjectionRunner } from './projection-runner.behaviour.js';
import { copyRows } from './copy-rows.js';

describeProjectionRunner(BACKEND_LABELS.server, usePostgresEventStore('server'), copyRows);
