import type { DataSource } from 'typeorm';
import { liveSchemaOf } from '#projection-runner';
import { BeneficiaryRecord } from '../entities/read-model-entities.js';
import { payments } from '../payments/payments.projection.js';
import { registers } from '../registers/registers.projection.js';

const R = liveSchemaOf(registers);
const P = liveSchemaOf(payments);

/** Whom a document names, as the register holds them now; undefined for an id not on it. */
export async function registeredPerson(readModels: DataSource, beneficiaryId: string) {
  const found = await readModels.getRepository(BeneficiaryRecord).findOneBy({ beneficiaryId });
  return found ? { id: beneficiaryId, name: found.fullName, title: found.title, unit: found.administrativeUnit } : undefined;
}

export interface PaymentListRow {
  payoutId: string;
  beneficiaryId: string | null;
  payee: string;
  fullName: string | null;
  title: string | null;
  administrativeUnit: string;
  group: number;
  regimeCode: string;
  serviceDate: string;
  amount: string;
  offset: string;
  status: string;
  paidOn: string;
}

/**
 * The payouts one payment paid, by its payment reference (a bank transfer or voucher number: the
 * batch finance pays at once), reversed ones included, with the payee's name and title on the
 * register (a staff member's name is the payee). Empty for a reference never paid under.
 */
export async function paymentList(readModels: DataSource, reference: string): Promise<PaymentListRow[]> {
  return readModels.query(
    `SELECT p.payout_id AS "payoutId", p.beneficiary_id AS "beneficiaryId", p.payee, b.full_name AS "fullName", b.title,
            p.administrative_unit AS "administrativeUnit", p.group_number AS "group", p.regime_code AS "regimeCode", p.service_date AS "serviceDate",
            p.amount, p.offset_amount AS "offset", p.status, p.paid_on AS "paidOn"
       FROM ${P}.payouts p LEFT JOIN ${R}.beneficiaries b ON b.beneficiary_id = p.beneficiary_id
      WHERE p.paid_reference = $1
      ORDER BY b.full_name NULLS LAST, p.payee, p.service_date, p.payout_id`,
    [reference],
  );
}
