import { describeEventStoreContract } from '../contract/event-store.contract.js';
import { EventStoreDbEventStore, packPosition, unpackPosition } from './eventstoredb-event-store.js';

/** The contract runs only against a live server; without EVENTSTORE_URL it is reported as skipped. */
const url = process.env.EVENTSTORE_URL;
const describeWithServer = url ? describe : describe.skip;

describeWithServer('EventStoreDB server', () => {
  let store: EventStoreDbEventStore;
  beforeAll(() => {
    store = EventStoreDbEventStore.connect(url!);
  });
  afterAll(() => store.close());

  describeEventStoreContract(`EventStoreDB at ${url ?? 'EVENTSTORE_URL (not set)'}`, () => store);
});

describe('EventStoreDB positions', () => {
  it('pack (commit, prepare) into one bigint that keeps their order and unpacks exactly', () => {
    const positions = [
      { commit: 0n, prepare: 0n },
      { commit: 1024n, prepare: 900n },
      { commit: 1024n, prepare: 1024n },
      { commit: 2n ** 40n, prepare: 2n ** 40n - 7n },
    ];
    const packed = positions.map(packPosition);
    expect(packed.map(unpackPosition)).toEqual(positions);
    expect([...packed].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(packed);
  });
});
