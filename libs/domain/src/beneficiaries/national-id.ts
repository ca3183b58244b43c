/**
 * The 12-digit citizen identity number (số định danh cá nhân / CCCD): three digits of the
 * province of birth registration (001–096), one digit for century and sex (0/1: 1900s,
 * 2/3: 2000s, 4/5: 2100s, 6/7: 2200s, 8/9: 2300s — even male, odd female), the last two digits
 * of the birth year, then six random digits. The century digit and the year must agree with the
 * date of birth.
 */
export function nationalIdProblem(nationalId: string, dateOfBirth: string): string | undefined {
  if (!/^\d{12}$/.test(nationalId)) return 'national id must be 12 digits';
  const province = Number(nationalId.slice(0, 3));
  if (province < 1 || province > 96) return `national id begins with ${nationalId.slice(0, 3)}, which is no province code (001–096)`;
  const birthYear = Number(dateOfBirth.slice(0, 4));
  const century = 1900 + Math.floor(Number(nationalId[3]) / 2) * 100;
  const year = century + Number(nationalId.slice(4, 6));
  if (year !== birthYear) return `national id says born in ${year}, the date of birth says ${birthYear}`;
  return undefined;
}
