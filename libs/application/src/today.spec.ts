import { todayInVietnam } from './today.js';

describe('today in Vietnam', () => {
  it('is the date in Asia/Ho_Chi_Minh (UTC+7), not in UTC', () => {
    expect(todayInVietnam(new Date('2025-06-30T16:59:59Z'))).toBe('2025-06-30');
    expect(todayInVietnam(new Date('2025-06-30T17:00:00Z'))).toBe('2025-07-01');
  });
});
