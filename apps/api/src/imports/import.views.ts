import { ApiProperty } from '@nestjs/swagger';
import { Count, Text } from '../http/views.js';

/** The answer of an import, for the OpenAPI document. */

class RowErrorBody {
  @ApiProperty({ type: 'integer', description: 'The row of the sheet (0: the file as a whole)', example: 7 }) row!: number;
  @Text('The column, the beneficiary id, or the file', 'nationalId') field!: string;
  @ApiProperty({
    enum: [
      'required',
      'date',
      'group',
      'nationalId',
      'duplicateInFile',
      'nationalIdTaken',
      'unit',
      'changed',
      'unknownBeneficiary',
      'layout',
      'formula',
      'enrolment',
    ],
  })
  code!: string;
  @Text('In Vietnamese', 'Số định danh phải có 12 chữ số') vi!: string;
  @Text('In English', 'The national id must be 12 digits') en!: string;
}

export class ImportReportBody {
  @Text('SHA-256 of the file: the same file gives the same digest', '9f86d081884c7d65…') file!: string;
  @Count('Rows read') rows!: number;
  @ApiProperty({ enum: ['imported', 'rejected'], description: '`rejected`: the file has errors and nothing was imported' }) outcome!: string;
  @Count('Rows enrolled now') imported!: number;
  @Count('Rows of people already on the register as the register has them: nothing recorded') alreadyImported!: number;
  @Count('Rows with errors left out') skipped!: number;
  @ApiProperty({ type: [RowErrorBody] }) errors!: RowErrorBody[];
}
