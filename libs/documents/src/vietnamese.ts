/**
 * How Vietnamese administrative documents write dates, times, counts and money: "ngày 05 tháng 01
 * năm 2025", "1.234.567 đồng" (whole VND, dots between thousands), times in Vietnam's time zone.
 */

const VIETNAM = 'Asia/Ho_Chi_Minh';

const CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: VIETNAM,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** 4347 → "4.347"; negative numbers keep their sign. */
export function count(value: number): string {
  const digits = Math.abs(Math.trunc(value))
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return value < 0 ? `-${digits}` : digits;
}

/** 1234567 → "1.234.567 đồng". */
export function dong(amount: number): string {
  return `${count(amount)} đồng`;
}

/** "2025-01-05" → "ngày 05 tháng 01 năm 2025", as a document's place-and-date line writes it. */
export function dateInWords(date: string): string {
  const [year, month, day] = date.split('-');
  return `ngày ${day} tháng ${month} năm ${year}`;
}

/** "2025-01-05" → "05/01/2025". */
export function shortDate(date: string): string {
  const [year, month, day] = date.split('-');
  return `${day}/${month}/${year}`;
}

/** The day and the time of day in Vietnam at an instant: "14:05 ngày 31/12/2025". */
export function timeAndDate(at: Date): string {
  const parts = Object.fromEntries(CLOCK.formatToParts(at).map((part) => [part.type, part.value]));
  return `${parts.hour}:${parts.minute} ngày ${parts.day}/${parts.month}/${parts.year}`;
}

/** The line saying which moment the figures stand at: the time the log reached the position they reflect. */
export function figuresAsOf(at: Date): string {
  return `Số liệu tính đến ${timeAndDate(at)}`;
}

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];
const SCALES = ['', 'nghìn', 'triệu', 'tỷ', 'nghìn tỷ', 'triệu tỷ'];

/** Three digits as read within a larger number ("không trăm linh năm") or alone ("năm"). */
function hundreds(value: number, within: boolean): string {
  const [h, t, u] = [Math.floor(value / 100), Math.floor(value / 10) % 10, value % 10];
  const words: string[] = [];
  if (h > 0 || within) words.push(DIGITS[h], 'trăm');
  if (t === 0 && u > 0 && words.length > 0) words.push('linh');
  if (t === 1) words.push('mười');
  else if (t > 1) words.push(DIGITS[t], 'mươi');
  if (u === 1 && t > 1) words.push('mốt');
  else if (u === 4 && t > 1) words.push('tư');
  else if (u === 5 && t > 0) words.push('lăm');
  else if (u > 0) words.push(DIGITS[u]);
  return words.join(' ');
}

/**
 * A whole amount in words, as a payment document repeats it under the figure: 1250000 → "Một
 * triệu hai trăm năm mươi nghìn đồng".
 */
export function dongInWords(amount: number): string {
  const value = Math.abs(Math.trunc(amount));
  if (value === 0) return 'Không đồng';
  const groups: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 1000)) groups.push(rest % 1000);
  const words: string[] = [];
  for (let index = groups.length - 1; index >= 0; index--) {
    if (groups[index] === 0) continue;
    words.push(hundreds(groups[index], index < groups.length - 1), SCALES[index]);
  }
  const text = `${amount < 0 ? 'âm ' : ''}${words.filter((word) => word !== '').join(' ')} đồng`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
