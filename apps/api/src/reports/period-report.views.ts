import { ApiProperty } from '@nestjs/swagger';
import { REGIME_CODES } from '#domain';
import { Count, Day, Text, Vnd } from '../http/views.js';
import { ReportSourceBody } from './report.views.js';

/** The monthly and quarterly reports' answer, for the OpenAPI document. */

class FiguresBody {
  @Count('Lượt: stays’ allowances, claims and staff allowances paid, each counted once') visits!: number;
  @Count('Distinct people paid') people!: number;
  @Count('Days of the per-day regimes (b: meal days, c: convalescence days)') days!: number;
  @Vnd('Paid, less what came back') amount!: number;
}

class ChangeBody {
  @ApiProperty({ type: 'integer', description: 'The later figure less the earlier one; negative: a fall', example: -2 }) difference!: number;
  @ApiProperty({ type: 'number', nullable: true, description: 'In percent of the earlier figure, one decimal; null when that was nothing', example: -12.5 })
  percent!: number | null;
}

class ChangesBody {
  @ApiProperty({ type: ChangeBody }) visits!: ChangeBody;
  @ApiProperty({ type: ChangeBody }) people!: ChangeBody;
  @ApiProperty({ type: ChangeBody }) days!: ChangeBody;
  @ApiProperty({ type: ChangeBody }) amount!: ChangeBody;
}

class ComparedBody {
  @ApiProperty({ type: FiguresBody, description: 'The month or quarter' }) period!: FiguresBody;
  @ApiProperty({ type: FiguresBody, description: 'The month or quarter before (for the first, the last of the year before)' }) previous!: FiguresBody;
  @ApiProperty({ type: FiguresBody, description: 'The same month or quarter a year earlier' }) sameLastYear!: FiguresBody;
  @ApiProperty({ type: FiguresBody, description: 'Since 1 January to the end of the period' }) yearToDate!: FiguresBody;
  @ApiProperty({ type: FiguresBody, description: 'The same months of the year before' }) yearToDateLastYear!: FiguresBody;
  @ApiProperty({ type: ChangesBody, description: 'The period against the one before' }) vsPrevious!: ChangesBody;
  @ApiProperty({ type: ChangesBody, description: 'The period against the same period a year earlier' }) vsSameLastYear!: ChangesBody;
  @ApiProperty({ type: ChangesBody, description: 'Since 1 January against the same months of the year before' }) yearToDateVsLastYear!: ChangesBody;
}

class PeriodBody {
  @Day('First day') from!: string;
  @Day('Last day, included') to!: string;
}

class PeriodsBody {
  @ApiProperty({ type: PeriodBody }) period!: PeriodBody;
  @ApiProperty({ type: PeriodBody }) previous!: PeriodBody;
  @ApiProperty({ type: PeriodBody }) sameLastYear!: PeriodBody;
  @ApiProperty({ type: PeriodBody }) yearToDate!: PeriodBody;
  @ApiProperty({ type: PeriodBody }) yearToDateLastYear!: PeriodBody;
}

class RegimeComparedBody {
  @ApiProperty({ enum: REGIME_CODES }) code!: string;
  @Text('Heading of the report', 'Hỗ trợ tiền ăn khi điều trị nội trú') heading!: string;
  @ApiProperty({ type: ComparedBody }) figures!: ComparedBody;
}

class UnitRegimeBody {
  @ApiProperty({ enum: REGIME_CODES }) code!: string;
  @ApiProperty({ type: ComparedBody }) figures!: ComparedBody;
}

class UnitBody {
  @Text('The administrative unit the services count under (on their dates); "staff" for staff allowances', 'Huyện Cao Lộc') administrativeUnit!: string;
  @ApiProperty({ type: ComparedBody }) total!: ComparedBody;
  @ApiProperty({ type: [UnitRegimeBody], description: 'The regimes with anything in any of the periods' }) regimes!: UnitRegimeBody[];
}

class CheckUnitBody {
  @Text('The administrative unit the checks count under: where the residents lived on the day (after any merger)', 'Phường Xuân Hương - Đà Lạt')
  administrativeUnit!: string;
  @ApiProperty({ type: ComparedBody }) total!: ComparedBody;
}

class CheckFacilityBody {
  @Text('The facility that performed the checks, and is owed their fees', 'Trạm Y tế phường Xuân Hương') facility!: string;
  @ApiProperty({ type: ComparedBody }) total!: ComparedBody;
}

class CheckFiguresBody {
  @ApiProperty({ type: ComparedBody, description: 'visits: checks; people: residents checked; days: 0; amount: fees payable to facilities (whole VND)' })
  total!: ComparedBody;
  @ApiProperty({ type: [CheckUnitBody], description: 'The units with any check in any of the periods' }) units!: CheckUnitBody[];
  @ApiProperty({ type: [CheckFacilityBody], description: 'The facilities with any check in any of the periods: what each is owed' })
  facilities!: CheckFacilityBody[];
}

export class PeriodReportBody extends ReportSourceBody {
  @ApiProperty({ enum: ['month', 'quarter'] }) kind!: string;
  @ApiProperty({ type: 'integer', example: 2025 }) year!: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 12, description: 'The month (1–12) or the quarter (1–4)', example: 2 }) number!: number;
  @ApiProperty({ type: PeriodsBody, description: 'The periods compared; services count in the period of their service date' }) periods!: PeriodsBody;
  @ApiProperty({ type: ComparedBody, description: 'Every regime, every unit' }) total!: ComparedBody;
  @ApiProperty({ type: [RegimeComparedBody], description: 'Every regime, in the report’s order' }) regimes!: RegimeComparedBody[];
  @ApiProperty({ type: [UnitBody], description: 'The units with anything in any of the periods' }) units!: UnitBody[];
  @ApiProperty({
    type: CheckFiguresBody,
    description:
      'The universal health checks (free checks and screenings of residents) in the same periods, apart from the budget’s figures: a fee payable is not money paid. A check counts in the period of its date; a cancelled one counts nowhere from the position that cancelled it.',
  })
  healthChecks!: CheckFiguresBody;
}
