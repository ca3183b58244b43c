import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';

/**
 * TypeORM entities over the read models' tables, for the API's reads. The tables themselves are
 * created by each projection (`createTables`), not by TypeORM: a rebuild creates them afresh in a
 * new schema and swaps it in by renaming, which keeps the schema names these entities use.
 */

/** bigint columns (whole VND) arrive as strings from pg: numbers here, exact far below 2^53. */
const vnd: ValueTransformer = { to: (value: number | null) => value, from: (value: string | null) => (value === null ? null : Number(value)) };

@Entity({ schema: 'rm_registers', name: 'beneficiaries' })
export class BeneficiaryRecord {
  @PrimaryColumn({ name: 'beneficiary_id' }) beneficiaryId!: string;
  /** Null once the person's data was erased (`personalDataErased`). */
  @Column({ name: 'full_name', type: 'text', nullable: true }) fullName!: string | null;
  @Column({ name: 'date_of_birth', type: 'text', nullable: true }) dateOfBirth!: string | null;
  @Column({ name: 'national_id', type: 'text', nullable: true }) nationalId!: string | null;
  @Column({ name: 'personal_data_erased' }) personalDataErased!: boolean;
  @Column() title!: string;
  @Column({ name: 'administrative_unit' }) administrativeUnit!: string;
  @Column({ name: 'current_group', type: 'int' }) group!: number;
  @Column({ name: 'enrolled_from' }) enrolledFrom!: string;
  @Column() status!: string;
}

@Entity({ schema: 'rm_registers', name: 'cards' })
export class CardRecord {
  @PrimaryColumn({ name: 'card_number' }) cardNumber!: string;
  @Column({ name: 'beneficiary_id' }) beneficiaryId!: string;
  @Column({ name: 'group_at_issue', type: 'int', nullable: true }) groupAtIssue!: number | null;
  @Column({ name: 'valid_from' }) validFrom!: string;
  @Column({ name: 'valid_to' }) validTo!: string;
  @Column() status!: string;
  @Column({ name: 'closed_on', type: 'text', nullable: true }) closedOn!: string | null;
  @Column({ type: 'text', nullable: true }) replaces!: string | null;
  @Column({ name: 'reissue_reason', type: 'text', nullable: true }) reissueReason!: string | null;
  @Column({ name: 'replaced_by', type: 'text', nullable: true }) replacedBy!: string | null;
  @Column({ name: 'revocation_reason', type: 'text', nullable: true }) revocationReason!: string | null;
}

@Entity({ schema: 'rm_payments', name: 'payouts' })
export class PayoutRecord {
  @PrimaryColumn({ name: 'payout_id' }) payoutId!: string;
  /** The payout the stay's regime or the claim was first paid by: this payout's own id, or the one an adjustment corrects. */
  @Column({ name: 'line_id' }) settles!: string;
  @Column({ name: 'source_kind' }) sourceKind!: string;
  @Column({ name: 'source_id' }) sourceId!: string;
  @Column({ name: 'beneficiary_id', type: 'text', nullable: true }) beneficiaryId!: string | null;
  @Column() payee!: string;
  @Column({ name: 'regime_id' }) regimeId!: string;
  @Column({ name: 'regime_code' }) regimeCode!: string;
  @Column({ name: 'group_number', type: 'int' }) group!: number;
  @Column({ name: 'administrative_unit' }) administrativeUnit!: string;
  @Column({ type: 'int' }) year!: number;
  @Column({ name: 'service_date' }) serviceDate!: string;
  @Column({ type: 'bigint', transformer: vnd }) amount!: number;
  @Column({ type: 'int' }) units!: number;
  @Column({ name: 'policy_version_id' }) policyVersionId!: string;
  @Column({ type: 'text', nullable: true }) clause!: string | null;
  @Column({ type: 'bigint', nullable: true, transformer: vnd }) basis!: number | null;
  @Column({ name: 'over_cap', type: 'bigint', transformer: vnd }) overCap!: number;
  @Column({ name: 'approved_by', type: 'text', nullable: true }) approvedBy!: string | null;
  @Column() status!: string;
  @Column({ name: 'paid_reference', type: 'text', nullable: true }) paidReference!: string | null;
  @Column({ name: 'paid_on', type: 'text', nullable: true }) paidOn!: string | null;
  @Column({ name: 'reversed_on', type: 'text', nullable: true }) reversedOn!: string | null;
  @Column({ name: 'reversal_reason', type: 'text', nullable: true }) reversalReason!: string | null;
  /** A recovery: what came back (refunds, offsets) and what was written off; a payment: what offsetting recoveries took out of it. */
  @Column({ type: 'bigint', transformer: vnd }) recovered!: number;
  @Column({ name: 'written_off', type: 'bigint', transformer: vnd }) writtenOff!: number;
  @Column({ name: 'offset_amount', type: 'bigint', transformer: vnd }) offset!: number;
  /** Refund receipts, offsets (each naming the payout on the other side) and the write-off, in order. */
  @Column({ type: 'jsonb' }) settlements!: { kind: string; amount: number; on: string; by: string; reference?: string; payout_id?: string; reason?: string }[];
}

export const READ_MODEL_ENTITIES = [BeneficiaryRecord, CardRecord, PayoutRecord];
