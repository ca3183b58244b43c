import { Controller, Get, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AggregateReader, type CommandContext, PersonalDataReads } from '#application';
import { approvalDecisionPdf, type Person, paymentListPdf, recoveryNoticePdf } from '#documents';
import { RuleViolated } from '#domain';
import { codeOf, paymentList, payoutLineage, REGIME_HEADINGS, registeredPerson } from '#read-models';
import { RUNTIME, type Runtime } from '#runtime';
import { Ctx } from '../http/authentication.js';
import { Operation, SignedIn } from '../http/responses.js';
import { DocumentQuery, issueOf, PDF_ANSWER, pdfFile } from './pdf-files.js';

type Response = { setHeader(name: string, value: string): void };

const regimeOf = (code: string) => ({ code, heading: REGIME_HEADINGS[code] ?? code });

/**
 * The office's documents about one claim, payout or payment, as PDF with the national header, the
 * letterhead of the configuration and a signature block. Each names a person: the read is recorded.
 */
@ApiTags('documents')
@SignedIn()
@Controller()
export class DocumentsController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(AggregateReader) private readonly reader: AggregateReader,
    @Inject(PersonalDataReads) private readonly reads: PersonalDataReads,
  ) {}

  private async person(beneficiaryId: string, group?: number): Promise<Person> {
    const found = await registeredPerson(this.runtime.readModels, beneficiaryId);
    return { ...(found ?? { id: beneficiaryId, name: null }), ...(group ? { group } : {}) };
  }

  /** The decision approving a claim (Quyết định phê duyệt): whom, which regime, the amount and its basis. */
  @Get('claims/:id/approval-decision')
  @Operation({
    id: 'getClaimApprovalDecision',
    summary: 'A claim’s approval decision (Quyết định phê duyệt) as PDF; 409 ClaimNotApproved before its approval',
    answer: PDF_ANSWER,
    errors: ['invalid', 'missing', 'conflict'],
  })
  async approvalDecision(
    @Param('id') id: string,
    @Query() query: DocumentQuery,
    @Ctx() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { state, history } = await this.reader.claim(id);
    if (state.status !== 'approved' || !state.approval)
      throw new RuleViolated('ClaimNotApproved', `claim ${id} is ${state.status}, not approved: it has no approval decision`);
    const { facts, approval } = state;
    const person: Person = facts.beneficiaryId
      ? await this.person(facts.beneficiaryId, approval.group)
      : { id: facts.staff!.name, name: facts.staff!.name, title: facts.staff!.role };
    await this.reads.record(context.actor, 'approval-decision', facts.beneficiaryId ? [facts.beneficiaryId] : []);
    const approvedAt = history.findLast((entry) => entry.type === 'ClaimApproved')!.recordedAt;
    const bytes = await approvalDecisionPdf(
      {
        claimId: id,
        person,
        regime: regimeOf(codeOf(facts.regimeId)),
        serviceDate: facts.serviceDate,
        ...(facts.until ? { until: facts.until } : {}),
        ...(facts.cost === undefined ? {} : { cost: facts.cost }),
        ...(facts.outOfPocket === undefined ? {} : { outOfPocket: facts.outOfPocket }),
        ...(facts.councilDecisionNumber ? { councilDecisionNumber: facts.councilDecisionNumber } : {}),
        ...(facts.items ? { items: facts.items } : {}),
        amount: approval.amount,
        basis: approval.basis,
        partial: approval.partial,
        overCap: approval.overCap,
        ...(approval.overCapReason ? { overCapReason: approval.overCapReason } : {}),
        policyVersionId: approval.policyVersionId,
        clause: approval.clause,
        approvedBy: approval.approvedBy,
        approvedAt,
      },
      this.runtime.config.letterhead,
      issueOf(query, this.runtime.clock()),
    );
    return pdfFile(response, `quyet-dinh-phe-duyet-${id}`, bytes);
  }

  /** The notice asking a person to pay back a recovery (thông báo thu hồi): why, how much, what is settled and still owed. */
  @Get('payouts/:id/recovery-notice')
  @Operation({
    id: 'getRecoveryNotice',
    summary: 'A recovery’s notice (thông báo thu hồi) as PDF; 409 NotARecovery for a payout that pays',
    answer: PDF_ANSWER,
    errors: ['invalid', 'missing', 'conflict'],
  })
  async recoveryNotice(@Param('id') id: string, @Query() query: DocumentQuery, @Ctx() context: CommandContext, @Res({ passthrough: true }) response: Response) {
    const found = await payoutLineage(this.runtime.readModels, id);
    if (!found) throw new NotFoundException(`no payout ${id} in the payout history (yet)`);
    const { payout, adjustments } = found;
    const adjustment = adjustments.find((candidate) => candidate.adjustmentId === payout.sourceId);
    if (payout.amount >= 0 || !adjustment) throw new RuleViolated('NotARecovery', `payout ${id} pays ${payout.amount} VND: it is no recovery`);
    await this.reads.record(context.actor, 'recovery-notice', [payout.beneficiaryId]);
    const amount = -payout.amount;
    const bytes = await recoveryNoticePdf(
      {
        payoutId: id,
        person: payout.beneficiaryId ? await this.person(payout.beneficiaryId, payout.group) : { id: payout.payee, name: payout.payee },
        regime: regimeOf(payout.regimeCode),
        serviceDate: payout.serviceDate,
        cause: { kind: String(adjustment.causeKind), id: String(adjustment.causeId) },
        previousAmount: Number(adjustment.previousAmount),
        nextAmount: Number(adjustment.nextAmount),
        amount,
        recovered: payout.recovered,
        writtenOff: payout.writtenOff,
        owed: amount - payout.recovered - payout.writtenOff,
      },
      this.runtime.config.letterhead,
      issueOf(query, this.runtime.clock()),
    );
    return pdfFile(response, `thong-bao-thu-hoi-${id}`, bytes);
  }

  /** The list of what one payment paid (danh sách chi trả): the payouts finance paid under one payment reference, a batch. */
  @Get('payment-lists/:reference')
  @Operation({
    id: 'getPaymentList',
    summary: 'The payment list (danh sách chi trả) of one payment reference as PDF: every payout paid under it, with totals',
    answer: PDF_ANSWER,
    errors: ['invalid', 'missing'],
  })
  async paymentList(
    @Param('reference') reference: string,
    @Query() query: DocumentQuery,
    @Ctx() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    const rows = await paymentList(this.runtime.readModels, reference);
    if (rows.length === 0) throw new NotFoundException(`no payout paid under the payment reference ${reference} (yet)`);
    await this.reads.record(
      context.actor,
      'payment-list',
      rows.map((row) => row.beneficiaryId),
    );
    const bytes = await paymentListPdf(
      {
        reference,
        paidOn: rows[0].paidOn,
        lines: rows.map((row) => ({
          payoutId: row.payoutId,
          person: {
            id: row.beneficiaryId ?? row.payee,
            name: row.beneficiaryId ? row.fullName : row.payee,
            ...(row.title ? { title: row.title } : {}),
            unit: row.administrativeUnit,
          },
          regimeCode: row.regimeCode,
          serviceDate: row.serviceDate,
          amount: Number(row.amount),
          offset: Number(row.offset),
          reversed: row.status === 'reversed',
        })),
      },
      this.runtime.config.letterhead,
      issueOf(query, this.runtime.clock()),
    );
    return pdfFile(response, `danh-sach-chi-tra-${reference}`, bytes);
  }
}
