import { BACKEND_LABELS, usePostgresEventStore } from '../../../../test/support/postgres-event-store.fixture.js';
import { describeEventStoreContract } from '../contract/event-store.contract.js';
import { describePostgresLog } from './postgres-log.behaviour.js';

const current = usePostgresEventStore('pglite');
describeEventStoreContract(BACKEND_LABELS.pglite, () => current().store);
describePostgresLog(BACKEND_LABELS.pglite, current);
