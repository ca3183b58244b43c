import { StreamableFile } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { todayInVietnam } from '#application';
import type { Issue } from '#documents';
import { DateField } from '../http/fields.js';

export const PDF = 'application/pdf';

/** The 200 answer of an operation that gives a PDF document. */
export const PDF_ANSWER = { content: { [PDF]: { schema: { type: 'string', format: 'binary' } } } } as const;

const NUMBER = /^[0-9A-Za-z.-]{1,20}$/;

/** What an issued document says of itself, from the query: its number in the issuer's register and its date. */
export class DocumentQuery {
  @ApiPropertyOptional({
    description: 'The document’s number in the issuer’s register (15 in “Số: 15/QĐ-SYT”); absent: left blank, to be written in by hand',
    example: '15',
    pattern: NUMBER.source,
  })
  @IsOptional()
  @Matches(NUMBER, { message: '$property must be 1–20 letters, digits, dots or dashes' })
  number?: string;

  @DateField('The document’s date; today in Vietnam when absent', true) date?: string;
}

export function issueOf(query: DocumentQuery, now: Date): Issue {
  return { ...(query.number ? { number: query.number } : {}), date: query.date ?? todayInVietnam(now) };
}

/** Ids name the file a browser saves; anything but letters, digits, dots and dashes becomes a dash. */
export function pdfFile(response: { setHeader(name: string, value: string): void }, name: string, bytes: Buffer): StreamableFile {
  response.setHeader('Content-Disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9.-]+/g, '-')}.pdf"`);
  return new StreamableFile(bytes, { type: PDF });
}
