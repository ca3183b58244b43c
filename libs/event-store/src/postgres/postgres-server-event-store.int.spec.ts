import { BACKEND_LABELS, usePostgresEventStore } from '../../../../test/support/postgres-event-store.fixture.js';
import { describeEventStoreContract } from '../contract/event-store.contract.js';
import { describePostgresLog } from './postgres-log.behaviour.js';

const current = usePostgresEventStore('server');
describeEventStoreContract(BACKEND_LABELS.server, () => current().store);
describePostgresLog(BACKEND_LABELS.server, current);
