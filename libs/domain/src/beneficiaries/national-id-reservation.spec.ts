import { deciderSpec } from '../testing/decider.fixture.js';
import { type NationalIdEvent, decide, evolve, initialNationalIdReservation, nationalIdStreamId } from './national-id-reservation.js';

const spec = deciderSpec({ decide, evolve, initialState: initialNationalIdReservation });
const reservation = { nationalId: '020080001234', beneficiaryId: 'b-004' };
const reserved: NationalIdEvent = { type: 'NationalIdReserved', data: reservation };

describe('national id reservation', () => {
  it('reserves a number not yet on the register, in a stream of its own', () => {
    spec.given([]).when({ type: 'ReserveNationalId', data: reservation }).then([reserved]);
    expect(nationalIdStreamId('020080001234')).toBe('nationalid-020080001234');
  });

  it('records nothing when the same beneficiary reserves it again, so a retried enrolment goes through', () => {
    spec.given([reserved]).when({ type: 'ReserveNationalId', data: reservation }).then([]);
  });

  it('refuses the number to another beneficiary, naming the field', () => {
    spec
      .given([reserved])
      .when({ type: 'ReserveNationalId', data: { nationalId: '020080001234', beneficiaryId: 'b-999' } })
      .thenThrows({ rule: 'NationalIdTaken', field: 'nationalId', message: 'national id 020080001234 is already on the register (beneficiary b-004)' });
  });

  it('gives the number to another beneficiary only when the holder was never written (an interrupted enrolment)', () => {
    const taker = { nationalId: '020080001234', beneficiaryId: 'b-999' };
    const state = [reserved].reduce(evolve, initialNationalIdReservation);
    expect(decide({ type: 'ReserveNationalId', data: taker }, state, true)).toEqual([{ type: 'NationalIdReserved', data: taker }]);
    expect(() => decide({ type: 'ReserveNationalId', data: taker }, state, false)).toThrow(expect.objectContaining({ rule: 'NationalIdTaken' }));
  });
});
