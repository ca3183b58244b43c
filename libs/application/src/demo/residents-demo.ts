import { CommandBus } from '@nestjs/cqrs';
import { forEachConcurrently } from '../concurrently.js';
import type { Actor, CommandContext } from '../event-sourcing.js';
import { RecordHealthCheck, RegisterResident } from '../residents/resident-commands.js';
import { mulberry32 } from './demo-province.js';

/**
 * Residents of a province under a universal health check, written through the real command path:
 * each registered in one of `communes`, then given one check in the second half of `year`, when
 * the whole province is eligible. The people differ by index (`from` onwards), so a province of
 * millions is loaded in slices, and an interrupted run started again with the same seed finds
 * what it recorded already (command ids are derived from seed and index) and records nothing twice.
 */
export interface ResidentsDemoOptions {
  readonly seed: number;
  readonly communes: readonly string[];
  readonly programme: string;
  /** The first resident's index; the run covers `from` to `from + count - 1`. */
  readonly from?: number;
  readonly count: number;
  readonly year: number;
  /** Residents in progress at once (each: a registration, then a check). */
  readonly concurrency?: number;
  readonly onProgress?: (done: number) => void;
}

export const RESIDENTS_DEMO_CLERK: Actor = { username: 'demo.residents', roles: ['clerk'] };

/** Lâm Đồng's province code in the citizen identity number (the demo's people were registered at birth there). */
const PROVINCE_CODE = '068';
const BIRTH_YEARS = 90;
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'K’', 'Ka', 'Ma', 'Bon', 'Hoàng', 'Võ', 'Đặng', 'Huỳnh'];
const GIVEN = ['Văn Sơn', 'Thị Mai', 'Văn Tùng', 'Thị Hồng', 'Văn Đức', 'Thị Thảo', 'Văn Lực', 'Thị Vân', 'Hòa', 'Thị Xuân', 'Văn Tài', 'Thị Yến'];
const FACILITIES = ['Bệnh viện Đa khoa tỉnh Lâm Đồng', 'Trung tâm Y tế khu vực Bảo Lộc', 'Trung tâm Y tế khu vực Đức Trọng', 'Trạm Y tế xã'];

/**
 * Resident `n`: born in one of the 90 years up to `year - 8` (every age band has people, none too
 * young), with a citizen identity number unique to `n` and agreeing with the date of birth.
 */
export function demoResident(n: number, year: number, communes: readonly string[]) {
  const birthYear = year - 8 - (n % BIRTH_YEARS);
  const female = Math.floor(n / BIRTH_YEARS) % 2;
  const serial = Math.floor(n / (BIRTH_YEARS * 2));
  const centuryDigit = (birthYear >= 2000 ? 2 : 0) + female;
  const month = 1 + (n % 12);
  const day = 1 + (n % 28);
  return {
    fullName: `${FAMILY[n % FAMILY.length]} ${GIVEN[Math.floor(n / FAMILY.length) % GIVEN.length]}`,
    dateOfBirth: `${birthYear}-${two(month)}-${two(day)}`,
    nationalId: `${PROVINCE_CODE}${centuryDigit}${two(birthYear % 100)}${String(serial).padStart(6, '0')}`,
    residenceUnit: communes[n % communes.length],
    from: `${year - 1}-07-01`,
  };
}

export async function generateResidentsDemo(commands: CommandBus, options: ResidentsDemoOptions): Promise<{ commands: number }> {
  if (options.communes.length === 0) throw new Error('the residents demo needs at least one commune to place residents in');
  const from = options.from ?? 0;
  const context = (id: string): CommandContext => ({ actor: RESIDENTS_DEMO_CLERK, commandId: `residents-demo-${options.seed}-${id}` });
  const indexes = Array.from({ length: options.count }, (_, k) => from + k);
  let done = 0;
  await forEachConcurrently(indexes, options.concurrency ?? 256, async (n) => {
    const resident = demoResident(n, options.year, options.communes);
    // Each resident's own draws, so that a slice run again decides the same check whatever ran beside it.
    const random = mulberry32(options.seed ^ Math.imul(n + 1, 0x9e3779b1));
    const { residentId } = await commands.execute(new RegisterResident(resident, context(`${n}-register`)));
    // Screening is for adults: 18 on every day of the year whatever their birthday.
    const adult = Number(resident.dateOfBirth.slice(0, 4)) <= options.year - 19;
    const check = {
      programme: options.programme,
      facility: FACILITIES[Math.floor(random() * FACILITIES.length)],
      checkedOn: `${options.year}-${two(7 + Math.floor(random() * 5))}-${two(1 + Math.floor(random() * 28))}`,
      checkKind: adult && random() < 0.3 ? 'sang-loc' : 'dinh-ky',
    };
    await commands.execute(new RecordHealthCheck(residentId, check, context(`${n}-check`)));
    options.onProgress?.(++done);
  });
  return { commands: options.count * 2 };
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}
