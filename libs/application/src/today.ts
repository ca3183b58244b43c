const VIETNAM_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The calendar day (YYYY-MM-DD) it is at `now` in Vietnam, where the office works: a service
 * given this morning in Lạng Sơn is not "in the future" while it is still yesterday in UTC.
 */
export function todayInVietnam(now: Date = new Date()): string {
  return VIETNAM_DATE.format(now);
}
