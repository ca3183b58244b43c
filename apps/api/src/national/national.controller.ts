import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { rollUpYearEndReports, yearEndReport } from '#read-models';
import { RUNTIME, type Runtime } from '#runtime';
import { Allowed } from '../http/authentication.js';
import { Operation, SignedIn } from '../http/responses.js';
import { YearPath } from '../reports/reports.controller.js';
import { NationalYearEndReportBody } from './national.views.js';
import { SERVED_PROVINCES, type ServedProvinces } from './served-provinces.js';

/**
 * The national level: the provinces' reports added up, for the national level's auditors. Only
 * the runtime configured as the national level answers; a province's own users never reach it.
 */
@ApiTags('national')
@SignedIn()
@Controller('national')
export class NationalController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(SERVED_PROVINCES) private readonly provinces: ServedProvinces,
  ) {}

  @Get('reports/year-end/:year')
  @Operation({
    id: 'getNationalYearEndReport',
    summary: 'The year-end report of every province the process serves, added up (the national level’s auditors)',
    description: 'Served at /provinces/{national id}/national/… by the national entry of PROVINCES_FILE; 404 elsewhere.',
    answer: NationalYearEndReportBody,
    errors: ['invalid', 'missing'],
  })
  @Allowed('readNationalRollUp')
  async yearEnd(@Param() { year }: YearPath) {
    if (!this.runtime.config.nationalRollUp)
      throw new NotFoundException({ error: 'Not Found', message: 'the national roll-up is served by the national level only' });
    const reports = await Promise.all(
      this.provinces
        .filter((province) => !province.config.nationalRollUp)
        .map(async ({ config, pool, store }) => ({ province: config.province, report: await yearEndReport(pool, year, { store }) })),
    );
    return rollUpYearEndReports(year, reports);
  }
}
