import { ApiProperty } from '@nestjs/swagger';
import { REGIME_CODES } from '#domain';
import { Count, Day, Group, Text, Vnd } from '../http/views.js';

/** The answers of the work queues, for the OpenAPI document. */

class MealSegmentBody {
  @Day('First day at this rate and group') from!: string;
  @Day('Last day at this rate and group') to!: string;
  @Count('Days') days!: number;
  @Group('Group held on these days') group!: number;
  @Vnd('Rate per day') rate!: number;
  @Vnd('Days × rate') amount!: number;
  @Text('Policy version in force on these days', 'lang-son/nq-24-2024/v1') policyVersionId!: string;
  @Text('Clause the rate rests on', 'Regulation attached to Resolution 24/2024, regime b') clause!: string;
}

class VisitComputationBody {
  @Vnd('Visit allowance for the group on the admission date') amount!: number;
  @Text('Policy version in force on the admission date', 'lang-son/nq-24-2024/v1') policyVersionId!: string;
  @Text('Clause it rests on', 'Regulation attached to Resolution 24/2024, regime a') clause!: string;
  @Group('Group held on the admission date') group!: number;
}

class MealsComputationBody {
  @Vnd('Meal allowance in all') amount!: number;
  @Count('Days of the stay, admission and discharge days included') days!: number;
  @ApiProperty({ type: [MealSegmentBody], description: 'The stay split where the rate or the group changes' }) segments!: MealSegmentBody[];
}

class AdmissionComputationBody {
  @ApiProperty({ type: VisitComputationBody, nullable: true, description: 'Regime a; null: not entitled' }) visit!: VisitComputationBody | null;
  @ApiProperty({ type: MealsComputationBody, nullable: true, description: 'Regime b; null: not entitled' }) meals!: MealsComputationBody | null;
}

class AnnualCapBody {
  @Vnd('The annual cap of the regime for the beneficiary this year') cap!: number;
  @Vnd('Used of it by approved claims') used!: number;
  @Vnd('Left of it') left!: number;
}

class OverCapProposalBody {
  @Text('The approver who proposed granting it over the cap', 'approver.minh') by!: string;
  @Text('Why', 'Prescribed by the council for a life-threatening condition') reason!: string;
}

class ClaimFactsBody {
  @Vnd('Actual cost asked for', { nullable: true }) cost!: number | null;
  @Vnd('Paid out of pocket after health insurance (hospital-fee support)', { nullable: true }) outOfPocket!: number | null;
  @Day('Last day of a stay paid per day', { nullable: true }) until!: string | null;
  @Count('Days of that stay, both ends included', { nullable: true }) days!: number | null;
  @Count('Months or sessions (staff allowances)', { nullable: true }) quantity!: number | null;
  @Text('The Professional Council’s decision (special drugs)', '15/QĐ-HĐCM', { nullable: true }) councilDecisionNumber!: string | null;
  @Text('Why it was recorded although it repeats a recorded claim', 'Second prescription the same day', { nullable: true })
  deliberateReason!: string | null;
  @ApiProperty({ type: [String], description: 'Reference numbers of the documents the request rests on' }) documents!: string[];
  @ApiProperty({
    type: AnnualCapBody,
    nullable: true,
    description: 'The annual cap of the regime this year, as far as approved claims have shown it; null: no cap, or none approved yet this year',
  })
  annualCap!: AnnualCapBody | null;
  @ApiProperty({ type: OverCapProposalBody, nullable: true, description: 'Over-cap confirmations: the first approver’s proposal' })
  overCapProposal!: OverCapProposalBody | null;
}

class AdjustmentBody {
  @Text('The adjustment', 'c-7d1c…-1') adjustmentId!: string;
  @Text('Regime id', 'b') regimeId!: string;
  @ApiProperty({
    enum: ['policy-version', 'reorganization-plan', 'register-change'],
    description: 'What made it: a policy version, a reorganization, a change on the register',
  })
  causeKind!: string;
  @Vnd('What it stood at') previousAmount!: number;
  @Group('The group it counted under') previousGroup!: number;
  @Vnd('What it stands at now') nextAmount!: number;
  @Group('The group it counts under now') nextGroup!: number;
  @Vnd('The difference: a top-up, or negative a recovery') difference!: number;
}

export class ApprovalItemBody {
  @ApiProperty({
    enum: ['claim', 'admission', 'over-cap-confirmation', 'adjustment'],
    description:
      'claim: decide with POST /claims/{id}/approval, …/partial-approval, …/over-cap-proposal or …/rejection; admission: POST /admissions/{id}/approval or …/rejection; over-cap-confirmation: POST /claims/{id}/over-cap-confirmation; adjustment: POST /claims/{id}/adjustments/approval or /admissions/{id}/adjustments/approval (sourceKind)',
  })
  kind!: string;
  @Text('The claim or admission', 'c-7d1c…') id!: string;
  @ApiProperty({ enum: ['claim', 'admission'], required: false, description: 'Adjustments: whether they adjust a claim or a stay' }) sourceKind?: string;
  @ApiProperty({ type: [AdjustmentBody], required: false, description: 'Adjustments: each awaiting approval, before and after' })
  adjustments?: AdjustmentBody[];
  @Text('The beneficiary; null for staff allowances', '3f0c1a2e-…', { nullable: true }) beneficiaryId!: string | null;
  @Text('Their full name; null once erased, or for staff allowances', 'Nông Văn An', { nullable: true }) fullName!: string | null;
  @Day('Service date: the claim’s, or the admission date') serviceDate!: string;
  @Group('Group held on the service date', { nullable: true }) group!: number | null;
  @Text('Administrative unit on the service date', 'Huyện Cao Lộc', { nullable: true }) administrativeUnit!: string | null;
  @Text('Who recorded or requested it (never the one to decide it)', 'clerk.lan', { nullable: true }) requestedBy!: string | null;
  @ApiProperty({ type: [String], enum: REGIME_CODES, description: 'The regimes it is under' }) regimeCodes!: string[];
  @Text('Claims: the regime id in the policy version', 'g', { required: false }) regimeId?: string;
  @Day('Admissions: discharged on', { required: false }) dischargedOn?: string;
  @Vnd('Admissions: the allowances entitled in all; adjustments: their differences in all; claims: null, the amount is computed at approval', {
    nullable: true,
  })
  amount!: number | null;
  @ApiProperty({ type: AdmissionComputationBody, required: false, description: 'Admissions: how the allowances were computed' })
  admission?: AdmissionComputationBody;
  @ApiProperty({ type: ClaimFactsBody, required: false, description: 'Claims: what was asked for and what is left of the annual cap' }) claim?: ClaimFactsBody;
}

export class PaymentItemBody {
  @ApiProperty({
    enum: ['payout', 'recovery'],
    description: 'payout: pay it with POST /payouts/{id}/payment; recovery: collect it with POST /payouts/{id}/refund',
  })
  kind!: string;
  @Text('The payout', 'claim-c-7d1c…') payoutId!: string;
  @ApiProperty({ enum: ['claim', 'admission', 'adjustment'] }) sourceKind!: string;
  @Text('The claim, stay or adjustment', 'c-7d1c…') sourceId!: string;
  @Text('The beneficiary; null for staff allowances', '3f0c1a2e-…', { nullable: true }) beneficiaryId!: string | null;
  @Text('Their full name; null once erased, or for staff allowances', 'Nông Văn An', { nullable: true }) fullName!: string | null;
  @Text('Whom it pays', 'Nông Văn An') payee!: string;
  @Text('Regime id', 'g') regimeId!: string;
  @ApiProperty({ enum: REGIME_CODES }) regimeCode!: string;
  @Group() group!: number;
  @Text('Administrative unit', 'Huyện Cao Lộc') administrativeUnit!: string;
  @Day('Service date') serviceDate!: string;
  @Vnd('Amount; negative for a recovery') amount!: number;
  @Vnd('Still to pay (a payout) or to collect (a recovery)') due!: number;
  @Count('Days for per-day regimes, otherwise 1') units!: number;
  @Text('Policy version', 'lang-son/nq-24-2024/v1') policyVersionId!: string;
  @Text('Clause', 'Regulation attached to Resolution 24/2024, regime g', { nullable: true }) clause!: string | null;
  @Vnd('The rate, ceiling or cap applied', { nullable: true }) basis!: number | null;
  @Vnd('Granted beyond the annual cap') overCap!: number;
  @Text('Approved by', 'approver.minh', { nullable: true }) approvedBy!: string | null;
}

export class RecordItemBody {
  @ApiProperty({
    enum: ['open-stay', 'card-missing'],
    description: 'open-stay: record the discharge with POST /admissions/{id}/discharge; card-missing: issue a card with POST /cards',
  })
  kind!: string;
  @Text('The admission (open-stay) or the beneficiary (card-missing)', 'a-7d1c…') id!: string;
  @Text('The beneficiary', '3f0c1a2e-…', { nullable: true }) beneficiaryId!: string | null;
  @Text('Their full name; null once erased', 'Nông Văn An', { nullable: true }) fullName!: string | null;
  @Day('Since when it waits: the admission date, or the day the person was enrolled') since!: string;
  @Text('The person’s administrative unit now', 'Xã Cao Lộc', { nullable: true }) administrativeUnit!: string | null;
  @Text('Open stays: who recorded the admission', 'clerk.lan', { nullable: true }) recordedBy!: string | null;
}

class RecordCountsBody {
  @Count('Stays recorded without a discharge') openStays!: number;
  @Count('People on the register without a card valid today') withoutCard!: number;
}

class ApprovalCountsBody {
  @Count('Claims waiting for a decision') claims!: number;
  @Count('Stays whose allowances wait for a decision') admissions!: number;
  @Count('Claims proposed over the annual cap, waiting for a second approver') overCapConfirmations!: number;
  @Count('Stays and claims whose adjustments wait for approval') adjustments!: number;
}

class PaymentCountsBody {
  @Count('Approved payouts not yet paid') payouts!: number;
  @Vnd('What they come to') payoutsDue!: number;
  @Count('Recoveries still owed') recoveries!: number;
  @Vnd('What is still owed on them') recoveriesOwed!: number;
}

export class QueueCountsBody {
  @ApiProperty({ type: 'string', pattern: '^\\d+$', example: '1024', description: 'The log position the read models had reached when read' }) position!: string;
  @ApiProperty({
    type: ApprovalCountsBody,
    required: false,
    description: 'Approvers only: what waits for the signed-in approver (not what they recorded or proposed)',
  })
  approvals?: ApprovalCountsBody;
  @ApiProperty({ type: PaymentCountsBody, required: false, description: 'Finance only' }) payments?: PaymentCountsBody;
  @ApiProperty({ type: RecordCountsBody, required: false, description: 'Those who keep the register and record stays (clerks, administrators)' })
  records?: RecordCountsBody;
}
