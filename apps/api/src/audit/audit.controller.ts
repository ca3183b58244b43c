import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type CommandContext, PersonalDataReads } from '#application';
import { Allowed, Ctx } from '../http/authentication.js';
import { TextField, WholeNumberField } from '../http/fields.js';
import { Operation, SignedIn } from '../http/responses.js';
import { PersonalDataReadBody } from '../reports/report.views.js';

class ReadsQuery {
  @TextField('Only reads of this beneficiary', 'b-1a2b3c', true) beneficiaryId?: string;
  @WholeNumberField('At most this many reads, latest first (100 by default)', 1, 1000, true) limit?: number;
}

@ApiTags('audit')
@SignedIn()
@Controller('audit')
export class AuditController {
  constructor(@Inject(PersonalDataReads) private readonly reads: PersonalDataReads) {}

  /** Who read whose personal data, when, and what. */
  @Get('personal-data-reads')
  @Operation({
    id: 'listPersonalDataReads',
    summary: 'Who read whose personal data, when, and what; latest first',
    answer: [PersonalDataReadBody],
    errors: ['invalid'],
  })
  @Allowed('readPersonalDataReads')
  personalDataReads(@Query() query: ReadsQuery, @Ctx() context: CommandContext) {
    return this.reads.list(context.actor, { ...(query.beneficiaryId ? { beneficiaryId: query.beneficiaryId } : {}), limit: query.limit ?? 100 });
  }
}
