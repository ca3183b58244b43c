import { BadRequestException, Body, Controller, Get, Inject, NotFoundException, Param, ParseIntPipe, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProduces, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { AdministrativeUnitsRegistry, AggregateReader, AllocateAnnualBudget, type CommandContext } from '#application';
import { AdministrativeUnits, REGIME_CODES, type RegimeCode } from '#domain';
import {
  annualBudget,
  balancesAsOf,
  balancesOf,
  budgetAsOf,
  payments,
  payoutHistory,
  payoutLineage,
  readModelPosition,
  searchBeneficiaries,
  searchCards,
  yearEndReport,
  yearEndReportAt,
  yearEndReportCsv,
  yearEndReportXlsx,
} from '#read-models';
import { RUNTIME, type Runtime } from '#runtime';
import { Allowed, Ctx } from '../http/authentication.js';
import { DateField, TextField, VndField } from '../http/fields.js';

class Page {
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

class RegisterQuery extends Page {
  @TextField('Full name starts with', 'Hoàng', true) name?: string;
  @TextField('Administrative unit', 'Huyện Cao Lộc', true) unit?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 6 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(6) group?: number;
  @DateField('The register as it stood on this date (groups and positions then)', true) asOf?: string;
}

class CardQuery extends Page {
  @TextField('Card number starts with', 'LS', true) number?: string;
  @TextField("Holder's full name starts with", 'Hoàng', true) name?: string;
  @TextField('Administrative unit', 'Huyện Cao Lộc', true) unit?: string;
  @ApiPropertyOptional({ enum: ['valid', 'replaced', 'revoked'] }) @IsOptional() @IsIn(['valid', 'replaced', 'revoked']) status?: string;
}

class YearQuery {
  @ApiPropertyOptional({ example: 2025 }) @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
}

/** The two times of a bitemporal read; see projections/queries/as-of.ts. */
class AsOfQuery {
  @DateField('Only services up to this date (valid time)', true) validOn?: string;
  @ApiPropertyOptional({ description: 'Only what the log held at this time (record time), ISO 8601', example: '2025-12-31T23:59:59Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  knownAt?: string;
  @ApiPropertyOptional({ description: 'Only what the log held up to this position (as a report names it)', example: '1024' })
  @IsOptional()
  @Matches(/^\d{1,30}$/, { message: '$property must be a log position (digits)' })
  position?: string;
}

class BalanceAsOfQuery extends AsOfQuery {
  @ApiPropertyOptional({ example: 2025 }) @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year!: number;
}

class BudgetAsOfQuery extends AsOfQuery {
  @ApiPropertyOptional({ enum: ['then', 'now'], description: 'Units as they were on each service date (then) or as they are today after reorganizations (now)' })
  @IsOptional()
  @IsIn(['then', 'now'])
  geography?: 'then' | 'now';
}

const PAYOUT_STATUSES = ['scheduled', 'paid', 'reversed', 'owed', 'recovered', 'written-off'] as const;

class PayoutQuery extends Page {
  @TextField('Beneficiary', '3f0c1a2e-…', true) beneficiaryId?: string;
  @ApiPropertyOptional({ example: 2025 }) @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional({ enum: REGIME_CODES }) @IsOptional() @IsIn(REGIME_CODES) regimeCode?: string;
  @ApiPropertyOptional({ enum: PAYOUT_STATUSES, description: 'owed: recoveries still to collect' }) @IsOptional() @IsIn(PAYOUT_STATUSES) status?: string;
}

class Allocation {
  @VndField('Budget allocated to the regime for the year') amount!: number;
  @TextField('Decision allocating it', '2850/QĐ-UBND') decisionNumber!: string;
}

const FORMATS = ['json', 'csv', 'xlsx'] as const;

/** Reads of the read models: registers, balances, budget, payout history, the year-end report. */
@ApiTags('registers and reports')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(AdministrativeUnitsRegistry) private readonly units: AdministrativeUnitsRegistry,
    @Inject(AggregateReader) private readonly reader: AggregateReader,
  ) {}

  private get pool() {
    return this.runtime.pool;
  }

  @Get('beneficiaries')
  async beneficiaries(@Query() query: RegisterQuery) {
    return { position: await readModelPosition(this.pool), beneficiaries: await searchBeneficiaries(this.pool, query) };
  }

  @Get('cards')
  async cards(@Query() query: CardQuery) {
    return { position: await readModelPosition(this.pool), cards: await searchCards(this.runtime.readModels, query) };
  }

  @Get('beneficiaries/:id/balances')
  async balances(@Param('id') id: string, @Query() query: YearQuery) {
    await this.reader.requireBeneficiary(id);
    return { position: await readModelPosition(this.pool), balances: await balancesOf(this.pool, id, query.year) };
  }

  /** Balances as of a valid date and as known at a time: what the system showed then, for comparison with now. */
  @Get('beneficiaries/:id/balances/as-of')
  async balancesAsOf(@Param('id') id: string, @Query() query: BalanceAsOfQuery) {
    await this.reader.requireBeneficiary(id);
    const { year, ...asOf } = query;
    return { position: await readModelPosition(this.pool, [payments]), year, asOf, balances: await balancesAsOf(this.pool, id, year, asOf) };
  }

  /** Committed and paid per regime × group × unit as of a valid date and as known at a time, by the geography then or now. */
  @Get('budget/:year/as-of')
  async budgetAsOf(@Param('year', ParseIntPipe) year: number, @Query() query: BudgetAsOfQuery) {
    const { geography = 'then', ...asOf } = query;
    const today = new Date().toISOString().slice(0, 10);
    const registry = geography === 'now' ? await this.units.current() : undefined;
    const unitOf = registry ? (unit: string) => AdministrativeUnits.unitCarrying(registry, unit, today) : undefined;
    return { position: await readModelPosition(this.pool, [payments]), year, asOf, geography, lines: await budgetAsOf(this.pool, year, asOf, unitOf) };
  }

  @Get('payouts')
  async payouts(@Query() query: PayoutQuery) {
    return { position: await readModelPosition(this.pool), payouts: await payoutHistory(this.runtime.readModels, query) };
  }

  /** A payout with its lineage: request, approvals, policy version and clause, payment, reversal. */
  @Get('payouts/:id/lineage')
  async lineage(@Param('id') id: string) {
    const found = await payoutLineage(this.runtime.readModels, id);
    if (!found) throw new NotFoundException(`no payout ${id} in the payout history (yet)`);
    return { position: await readModelPosition(this.pool), ...found };
  }

  @Get('budget/:year')
  async budget(@Param('year', ParseIntPipe) year: number) {
    return { position: await readModelPosition(this.pool), ...(await annualBudget(this.pool, year)) };
  }

  @Post('budget/:year/:regimeCode')
  @Allowed('allocateBudget')
  allocate(@Param('year', ParseIntPipe) year: number, @Param('regimeCode') regimeCode: string, @Body() body: Allocation, @Ctx() context: CommandContext) {
    return this.commands.execute(new AllocateAnnualBudget({ year, regimeCode: regimeCode as RegimeCode, amount: body.amount, decisionNumber: body.decisionNumber }, context));
  }

  /** The year-end report (section II.2 of the province's report) as JSON, CSV or an Excel workbook. */
  @Get('reports/year-end/:year')
  @ApiQuery({ name: 'format', enum: FORMATS, required: false })
  @ApiQuery({ name: 'position', required: false, description: 'Regenerate the report exactly as it was at this log position (the `position` a report quotes): the read models are built from the log up to it' })
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async yearEnd(
    @Param('year', ParseIntPipe) year: number,
    @Query('format') format: string | undefined,
    @Query('position') position: string | undefined,
    @Res({ passthrough: true }) response: { setHeader(name: string, value: string): void },
  ) {
    if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) {
      throw new BadRequestException({ error: 'Bad Request', message: `no report format ${format}`, fields: [{ field: 'format', message: 'format must be json, csv or xlsx' }] });
    }
    if (position !== undefined && !/^\d{1,30}$/.test(position)) {
      throw new BadRequestException({ error: 'Bad Request', message: 'position must be a log position (digits)', fields: [{ field: 'position', message: 'must be digits' }] });
    }
    const report = position === undefined ? await yearEndReport(this.pool, year, { store: this.runtime.store }) : await yearEndReportAt(this.runtime.store, this.pool, this.runtime.rebuild, year, BigInt(position));
    if (format === 'csv' || format === 'xlsx') {
      response.setHeader('Content-Disposition', `attachment; filename="bao-cao-nam-${year}.${format}"`);
      const body = format === 'csv' ? Buffer.from(yearEndReportCsv(report)) : await yearEndReportXlsx(report);
      return new StreamableFile(body, { type: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    }
    return report;
  }
}
