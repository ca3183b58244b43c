import { Controller, Get, Inject, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type PeriodReport, periodReport, periodReportCsv, periodReportXlsx } from '#read-models';
import { RUNTIME, type Runtime } from '#runtime';
import { DocumentQuery, issueOf } from '../documents/pdf-files.js';
import { LogPositionField, WholeNumberField, YearField } from '../http/fields.js';
import { Operation, SignedIn } from '../http/responses.js';
import { PeriodReportBody } from './period-report.views.js';
import { XLSX } from './reports.controller.js';

const FORMATS = ['json', 'csv', 'xlsx'] as const;

class MonthPath {
  @YearField('The year') year!: number;
  @WholeNumberField('The month', 1, 12) month!: number;
}

class QuarterPath {
  @YearField('The year') year!: number;
  @WholeNumberField('The quarter', 1, 4) quarter!: number;
}

/** `number` and `date` are the issued document's, for xlsx. */
class PeriodReportQuery extends DocumentQuery {
  @ApiPropertyOptional({ enum: FORMATS, default: 'json' }) @IsOptional() @IsIn(FORMATS) format?: (typeof FORMATS)[number];
  @LogPositionField(
    'The report as it stood at this log position (the `position` a report quotes): only what the log had recorded up to it; a position the read models have not reached yet gives the report as it stands now, at the position it quotes',
  )
  position?: string;
}

const ANSWER = {
  content: {
    'application/json': { schema: { $ref: getSchemaPath(PeriodReportBody) } },
    'text/csv': { schema: { type: 'string' } },
    [XLSX]: { schema: { type: 'string', format: 'binary' } },
  },
} as const;

const DESCRIPTION =
  'In the shape of a provincial health department’s monthly report: for each regime and in all, per administrative unit and for the province, the visits, people, days and amount paid in the period, in the period before, in the same period a year earlier, and since 1 January against the same months of the year before, with each difference and its percentage. A service counts in the period of its service date (a visit allowance on the admission date, a stay’s meals on the discharge date, a claim on its service date), so the months of a year add up to the year-end report.';

type Response = { setHeader(name: string, value: string): void };

/** The monthly and quarterly reports: one set of figures, read at one log position, in every format. */
@ApiTags('registers and reports')
@SignedIn()
@ApiExtraModels(PeriodReportBody)
@Controller('reports')
export class PeriodReportsController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  @Get('monthly/:year/:month')
  @Operation({
    id: 'getMonthlyReport',
    summary:
      'A month’s report by unit (the month, the month before, the same month last year, since 1 January) as JSON, CSV or Excel, now or at a log position',
    description: DESCRIPTION,
    answer: ANSWER,
    errors: ['invalid'],
  })
  async monthly(@Param() { year, month }: MonthPath, @Query() query: PeriodReportQuery, @Res({ passthrough: true }) response: Response) {
    return this.answer(await this.read('month', year, month, query), `bao-cao-thang-${String(month).padStart(2, '0')}-${year}`, query, response);
  }

  @Get('quarterly/:year/:quarter')
  @Operation({
    id: 'getQuarterlyReport',
    summary:
      'A quarter’s report by unit (the quarter, the quarter before, the same quarter last year, since 1 January) as JSON, CSV or Excel, now or at a log position',
    description: DESCRIPTION,
    answer: ANSWER,
    errors: ['invalid'],
  })
  async quarterly(@Param() { year, quarter }: QuarterPath, @Query() query: PeriodReportQuery, @Res({ passthrough: true }) response: Response) {
    return this.answer(await this.read('quarter', year, quarter, query), `bao-cao-quy-${quarter}-${year}`, query, response);
  }

  private read(kind: 'month' | 'quarter', year: number, number: number, { position }: PeriodReportQuery): Promise<PeriodReport> {
    return periodReport(this.runtime.pool, this.runtime.store, kind, year, number, position === undefined ? undefined : BigInt(position));
  }

  private async answer(report: PeriodReport, filename: string, { format, position: _position, ...document }: PeriodReportQuery, response: Response) {
    if (format !== 'csv' && format !== 'xlsx') return report;
    response.setHeader('Content-Disposition', `attachment; filename="${filename}.${format}"`);
    const body =
      format === 'csv'
        ? Buffer.from(periodReportCsv(report))
        : await periodReportXlsx(report, this.runtime.config.letterhead, issueOf(document, this.runtime.clock()));
    return new StreamableFile(body, { type: format === 'csv' ? 'text/csv; charset=utf-8' : XLSX });
  }
}
