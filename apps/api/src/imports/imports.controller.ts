import { BadRequestException, Controller, Get, HttpCode, Inject, Post, Query, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import { BeneficiaryImports, beneficiaryListTemplate, type CommandContext } from '#application';
import { Allowed, Ctx } from '../http/authentication.js';
import { Operation, SignedIn, Unprocessable } from '../http/responses.js';
import { ImportReportBody } from './import.views.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A beneficiary list of a province's units stays far below this; anything bigger is refused before it is read. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Beneficiary lists as units send them: an Excel template, and its import. */
@ApiTags('imports')
@SignedIn()
@Controller('beneficiaries/imports')
export class ImportsController {
  constructor(@Inject(BeneficiaryImports) private readonly imports: BeneficiaryImports) {}

  /** The template (.xlsx): Vietnamese and English headings, an example row, instructions. */
  @Get('template')
  @Operation({
    id: 'getImportTemplate',
    summary: 'The beneficiary list template (.xlsx): headings, an example row, instructions',
    answer: { content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } },
  })
  async template(@Res({ passthrough: true }) response: { setHeader(name: string, value: string): void }) {
    response.setHeader('Content-Disposition', 'attachment; filename="mau-danh-sach-doi-tuong.xlsx"');
    return new StreamableFile(await beneficiaryListTemplate(), { type: XLSX });
  }

  /**
   * Checks every row and answers with the row-level errors in Vietnamese and English. A file with
   * errors imports nothing (422) unless `validRowsOnly=true`; the same file again records nothing.
   */
  @Post()
  @HttpCode(200)
  @Allowed('keepRegister')
  @Operation({
    id: 'importBeneficiaries',
    summary: 'Import a beneficiary list (.xlsx): every row checked, errors in Vietnamese and English',
    answer: ImportReportBody,
    answerDescription: 'What was imported; with `outcome: rejected` (422, same body) the file has errors and nothing was imported',
    errors: ['invalid'],
  })
  @Unprocessable(
    'The file has errors (the import report, outcome rejected; nothing imported), or it passes an upload limit (rule, limit, max)',
    ImportReportBody,
  )
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'The .xlsx' } } } })
  @ApiQuery({ name: 'validRowsOnly', required: false, type: Boolean, description: 'Import the valid rows of a file with errors' })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_FILE_BYTES } }))
  async import(
    @UploadedFile() file: { buffer: Buffer } | undefined,
    @Query('validRowsOnly') validRowsOnly: string | undefined,
    @Ctx() context: CommandContext,
    @Res({ passthrough: true }) response: { status(code: number): void },
  ) {
    if (!file)
      throw new BadRequestException({
        error: 'Bad Request',
        message: 'send the .xlsx as the multipart field "file"',
        fields: [{ field: 'file', message: 'missing' }],
      });
    if (validRowsOnly !== undefined && validRowsOnly !== 'true' && validRowsOnly !== 'false') {
      throw new BadRequestException({
        error: 'Bad Request',
        message: 'validRowsOnly must be true or false',
        fields: [{ field: 'validRowsOnly', message: 'must be true or false' }],
      });
    }
    const report = await this.imports.import(file.buffer, context.actor, { validRowsOnly: validRowsOnly === 'true' });
    if (report.outcome === 'rejected') response.status(422);
    return report;
  }
}
