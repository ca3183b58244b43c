import { Body, Controller, Get, Inject, NotFoundException, Param, Post, Query, Res, ServiceUnavailableException, StreamableFile } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { AdministrativeUnitsRegistry, AggregateReader, AllocateAnnualBudget, type CommandContext, PersonalDataReads } from '#application';
import { AdministrativeUnits, REGIME_CODES, type RegimeCode } from '#domain';
import {
  annualBudget,
  balancesAsOf,
  balancesOf,
  budgetAsOf,
  NotCaughtUp,
  payments,
  payoutHistory,
  payoutLineage,
  readModelPosition,
  REGISTER_STATUSES,
  type RegisterStatus,
  searchBeneficiaries,
  searchCards,
  yearEndReport,
  yearEndReportAt,
  yearEndReportCsv,
  yearEndReportPdf,
  yearEndReportXlsx,
} from '#read-models';
import { RUNTIME, type Runtime } from '#runtime';
import { DocumentQuery, issueOf, PDF, pdfFile } from '../documents/pdf-files.js';
import { Allowed, Ctx } from '../http/authentication.js';
import { BooleanField, DateField, LogPositionField, TextField, VndField, WholeNumberField, YearField } from '../http/fields.js';
import { PageOf, PageQuery, pageRequested } from '../http/paging.js';
import { Operation, SignedIn } from '../http/responses.js';
import {
  AllocationBody,
  BalancesAsOfBody,
  BalancesBody,
  BudgetAsOfBody,
  BudgetBody,
  CardRegisterBody,
  PayoutHistoryBody,
  PayoutLineageBody,
  RegisterRowBody,
  YearEndReportBody,
} from './report.views.js';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
/** When to ask again for a report at a position the read models have yet to reach (see yearEndReportAt). */
const CATCH_UP_RETRY_SECONDS = 5;

const RegisterPage = PageOf('RegisterPage', RegisterRowBody, 'The people found, by name (diacritics aside; erased people last), then id');

class Page {
  @WholeNumberField('At most this many rows (100 by default)', 1, 1000, true) limit?: number;
  @WholeNumberField('Rows skipped before the first one answered', 0, 1_000_000_000, true) offset?: number;
}

class RegisterQuery extends PageQuery {
  @TextField('Words of the full name, each matched from the start of a word of it, diacritics and case aside (đ as d)', 'nong van an', true) name?: string;
  @ApiPropertyOptional({ description: 'The national id starts with these digits', example: '020068', pattern: '^\\d{1,12}$' })
  @IsOptional()
  @Matches(/^\d{1,12}$/, { message: 'nationalId must be 1 to 12 digits' })
  nationalId?: string;
  @TextField('One of their cards (any status) has a number starting with this', 'LS-2025-0001', true) cardNumber?: string;
  @TextField('Administrative unit on the date asked', 'Huyện Cao Lộc', true) unit?: string;
  @WholeNumberField('Beneficiary group (Đối tượng) on the date asked', 1, 6, true) group?: number;
  @ApiPropertyOptional({ enum: REGISTER_STATUSES, description: 'Status on the date asked' }) @IsOptional() @IsIn(REGISTER_STATUSES) status?: RegisterStatus;
  @BooleanField('Only people who look like someone else on the register (likelyDuplicateOf not empty)') likelyDuplicates?: boolean;
  @DateField('The register as it stood on this date (groups, positions and status then)', true) asOf?: string;
}

class CardQuery extends Page {
  @TextField('Card number starts with', 'LS', true) number?: string;
  @TextField("Holder's full name starts with", 'Hoàng', true) name?: string;
  @TextField('Administrative unit', 'Huyện Cao Lộc', true) unit?: string;
  @ApiPropertyOptional({ enum: ['valid', 'replaced', 'revoked'] }) @IsOptional() @IsIn(['valid', 'replaced', 'revoked']) status?: string;
}

class YearQuery {
  @YearField('Only this year', true) year?: number;
}

export class YearPath {
  @YearField('The year') year!: number;
}

class AllocationPath extends YearPath {
  @ApiProperty({ enum: REGIME_CODES }) @IsString() regimeCode!: string;
}

/** `number` and `date` are the issued document's, for xlsx and pdf. */
class YearEndQuery extends DocumentQuery {
  @ApiPropertyOptional({ enum: FORMATS, default: 'json' }) @IsOptional() @IsIn(FORMATS) format?: (typeof FORMATS)[number];
  @LogPositionField(
    'The report exactly as it was at this log position (the `position` a report quotes), from the versions the read models keep of its figures; past the head of the log, the whole log',
  )
  position?: string;
}

/** The two times of a bitemporal read; see projections/queries/as-of.ts. */
class AsOfQuery {
  @DateField('Only services up to this date (valid time)', true) validOn?: string;
  @ApiPropertyOptional({ description: 'Only what the log held at this time (record time), ISO 8601', example: '2025-12-31T23:59:59Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  knownAt?: string;
  @LogPositionField('Only what the log held up to this position (as a report names it)') position?: string;
}

class BalanceAsOfQuery extends AsOfQuery {
  @YearField('The year') year!: number;
}

class BudgetAsOfQuery extends AsOfQuery {
  @ApiPropertyOptional({
    enum: ['then', 'now'],
    description: 'Units as they were on each service date (then) or as they are today after reorganizations (now)',
  })
  @IsOptional()
  @IsIn(['then', 'now'])
  geography?: 'then' | 'now';
}

const PAYOUT_STATUSES = ['scheduled', 'paid', 'reversed', 'owed', 'recovered', 'written-off'] as const;

class PayoutQuery extends Page {
  @TextField('Beneficiary', '3f0c1a2e-…', true) beneficiaryId?: string;
  @YearField('Only this year', true) year?: number;
  @ApiPropertyOptional({ enum: REGIME_CODES }) @IsOptional() @IsIn(REGIME_CODES) regimeCode?: string;
  @ApiPropertyOptional({ enum: PAYOUT_STATUSES, description: 'owed: recoveries still to collect' }) @IsOptional() @IsIn(PAYOUT_STATUSES) status?: string;
}

class Allocation {
  @VndField('Budget allocated to the regime for the year') amount!: number;
  @TextField('Decision allocating it', '2850/QĐ-UBND') decisionNumber!: string;
}

/** Reads of the read models: registers, balances, budget, payout history, the year-end report. */
@ApiTags('registers and reports')
@SignedIn()
@ApiExtraModels(YearEndReportBody)
@Controller()
export class ReportsController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(AdministrativeUnitsRegistry) private readonly units: AdministrativeUnitsRegistry,
    @Inject(AggregateReader) private readonly reader: AggregateReader,
    @Inject(PersonalDataReads) private readonly reads: PersonalDataReads,
  ) {}

  private get pool() {
    return this.runtime.pool;
  }

  /** Names, national ids and dates of birth of everyone listed: the read is recorded for each. */
  @Get('beneficiaries')
  @Operation({
    id: 'searchBeneficiaries',
    summary: 'The beneficiary register, paged: search by name without diacritics, national id, card, unit, group, status, as of a date (the read is recorded)',
    description:
      'Names match word by word from the start of a word, whatever the diacritics: `nong van an`, `van an` and `Nông` all find “Nông Văn An”, `dinh` finds “Đinh”. Erased people are found by none of their personal data.',
    answer: RegisterPage,
    errors: ['invalid'],
  })
  async beneficiaries(@Query() query: RegisterQuery, @Ctx() context: CommandContext) {
    const { limit: _limit, offset: _offset, ...filter } = query;
    const found = await searchBeneficiaries(this.pool, filter, pageRequested(query));
    await this.reads.record(
      context.actor,
      'register',
      found.items.map((row) => row.beneficiaryId),
    );
    return { position: await readModelPosition(this.pool), ...found };
  }

  @Get('cards')
  @Operation({ id: 'searchCards', summary: 'The card register: search by number, holder, unit, status', answer: CardRegisterBody, errors: ['invalid'] })
  async cards(@Query() query: CardQuery) {
    return { position: await readModelPosition(this.pool), cards: await searchCards(this.runtime.readModels, query) };
  }

  /** One person's use of their health-care support: the read is recorded. */
  @Get('beneficiaries/:id/balances')
  @Operation({
    id: 'getBalances',
    summary: 'A beneficiary’s balances per year and regime (the read is recorded)',
    answer: BalancesBody,
    errors: ['invalid', 'missing'],
  })
  async balances(@Param('id') id: string, @Query() query: YearQuery, @Ctx() context: CommandContext) {
    await this.reader.requireBeneficiary(id);
    await this.reads.record(context.actor, 'balances', id);
    return { position: await readModelPosition(this.pool), balances: await balancesOf(this.pool, id, query.year) };
  }

  /** Balances as of a valid date and as known at a time: what the system showed then, for comparison with now. */
  @Get('beneficiaries/:id/balances/as-of')
  @Operation({
    id: 'getBalancesAsOf',
    summary: 'A beneficiary’s balances as of a valid date and as known at a time',
    answer: BalancesAsOfBody,
    errors: ['invalid', 'missing'],
  })
  async balancesAsOf(@Param('id') id: string, @Query() query: BalanceAsOfQuery, @Ctx() context: CommandContext) {
    await this.reader.requireBeneficiary(id);
    await this.reads.record(context.actor, 'balances-as-of', id);
    const { year, ...asOf } = query;
    return { position: await readModelPosition(this.pool, [payments]), year, asOf, balances: await balancesAsOf(this.pool, id, year, asOf) };
  }

  /** Committed and paid per regime × group × unit as of a valid date and as known at a time, by the geography then or now. */
  @Get('budget/:year/as-of')
  @Operation({
    id: 'getBudgetAsOf',
    summary: 'Committed and paid per regime, group and unit, as of a date and as known at a time',
    answer: BudgetAsOfBody,
    errors: ['invalid', 'missing'],
  })
  async budgetAsOf(@Param() { year }: YearPath, @Query() query: BudgetAsOfQuery) {
    const { geography = 'then', ...asOf } = query;
    const today = new Date().toISOString().slice(0, 10);
    const registry = geography === 'now' ? await this.units.current() : undefined;
    const unitOf = registry ? (unit: string) => AdministrativeUnits.unitCarrying(registry, unit, today) : undefined;
    return { position: await readModelPosition(this.pool, [payments]), year, asOf, geography, lines: await budgetAsOf(this.pool, year, asOf, unitOf) };
  }

  /** Who was paid for which care: the read is recorded for each person listed. */
  @Get('payouts')
  @Operation({
    id: 'listPayouts',
    summary: 'Payout history: by beneficiary, year, regime, status (the read is recorded)',
    answer: PayoutHistoryBody,
    errors: ['invalid'],
  })
  async payouts(@Query() query: PayoutQuery, @Ctx() context: CommandContext) {
    const payouts = await payoutHistory(this.runtime.readModels, query);
    await this.reads.record(
      context.actor,
      'payout-history',
      payouts.map((payout) => payout.beneficiaryId),
    );
    return { position: await readModelPosition(this.pool), payouts };
  }

  /** A payout with its lineage: request, approvals, policy version and clause, payment, reversal. */
  @Get('payouts/:id/lineage')
  @Operation({
    id: 'getPayoutLineage',
    summary: 'A payout with its lineage: request, approvals, policy version and clause, payment, adjustments',
    answer: PayoutLineageBody,
    errors: ['invalid', 'missing'],
  })
  async lineage(@Param('id') id: string, @Ctx() context: CommandContext) {
    const found = await payoutLineage(this.runtime.readModels, id);
    if (!found) throw new NotFoundException(`no payout ${id} in the payout history (yet)`);
    await this.reads.record(context.actor, 'payout-lineage', [found.payout.beneficiaryId]);
    return { position: await readModelPosition(this.pool), ...found };
  }

  @Get('budget/:year')
  @Operation({
    id: 'getBudget',
    summary: 'The annual budget per regime: allocated, committed, paid, remaining, alerts',
    answer: BudgetBody,
    errors: ['invalid', 'missing'],
  })
  async budget(@Param() { year }: YearPath) {
    return { position: await readModelPosition(this.pool), ...(await annualBudget(this.pool, year)) };
  }

  @Post('budget/:year/:regimeCode')
  @Operation({
    id: 'allocateBudget',
    summary: 'Allocate a regime’s budget for a year, by a decision',
    answer: AllocationBody,
    created: true,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @Allowed('allocateBudget')
  allocate(@Param() { year, regimeCode }: AllocationPath, @Body() body: Allocation, @Ctx() context: CommandContext) {
    return this.commands.execute(
      new AllocateAnnualBudget({ year, regimeCode: regimeCode as RegimeCode, amount: body.amount, decisionNumber: body.decisionNumber }, context),
    );
  }

  /**
   * The year-end report (section II.2 of the province's report) as JSON, CSV, an Excel workbook or
   * the office's PDF document: one set of figures, read at one log position, in every format.
   */
  @Get('reports/year-end/:year')
  @Operation({
    id: 'getYearEndReport',
    summary: 'The year-end report (section II.2) as JSON, CSV, an Excel workbook or a PDF document, now or at a log position',
    answer: {
      content: {
        'application/json': { schema: { $ref: getSchemaPath(YearEndReportBody) } },
        'text/csv': { schema: { type: 'string' } },
        [XLSX]: { schema: { type: 'string', format: 'binary' } },
        [PDF]: { schema: { type: 'string', format: 'binary' } },
      },
    },
    errors: ['invalid', 'missing'],
  })
  async yearEnd(
    @Param() { year }: YearPath,
    @Query() { format, position, ...document }: YearEndQuery,
    @Res({ passthrough: true }) response: { setHeader(name: string, value: string): void },
  ) {
    const report =
      position === undefined
        ? await yearEndReport(this.pool, year, { store: this.runtime.store })
        : await yearEndReportAt(this.runtime.store, this.pool, year, BigInt(position)).catch((error: unknown) => {
            if (!(error instanceof NotCaughtUp)) throw error;
            response.setHeader('Retry-After', String(CATCH_UP_RETRY_SECONDS));
            throw new ServiceUnavailableException({
              error: 'Service Unavailable',
              message: `the read models have not yet reached log position ${position} (they are catching up or rebuilding); try again shortly`,
            });
          });
    const issue = issueOf(document, this.runtime.clock());
    if (format === 'pdf') return pdfFile(response, `bao-cao-nam-${year}`, await yearEndReportPdf(report, this.runtime.config.letterhead, issue));
    if (format === 'csv' || format === 'xlsx') {
      response.setHeader('Content-Disposition', `attachment; filename="bao-cao-nam-${year}.${format}"`);
      const body = format === 'csv' ? Buffer.from(yearEndReportCsv(report)) : await yearEndReportXlsx(report, this.runtime.config.letterhead, issue);
      return new StreamableFile(body, { type: format === 'csv' ? 'text/csv; charset=utf-8' : XLSX });
    }
    return report;
  }
}
