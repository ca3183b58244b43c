import { ApiProperty, OmitType } from '@nestjs/swagger';
import { Text } from '../http/views.js';
import { ReportSourceBody, YearEndReportBody } from '../reports/report.views.js';

export class ProvinceSourceBody extends ReportSourceBody {
  @Text('The province’s id, as its URLs name it (/provinces/{id}/…)', 'lam-dong') id!: string;
  @Text('Its name', 'Lâm Đồng') name!: string;
}

/** The provinces' year-end reports added up: each province quoted at the position of its own log. */
export class NationalYearEndReportBody extends OmitType(YearEndReportBody, ['position', 'logHash', 'asOf'] as const) {
  @ApiProperty({ type: [ProvinceSourceBody], description: 'The provinces added up, each with the log position its figures reflect' })
  provinces!: ProvinceSourceBody[];
}
