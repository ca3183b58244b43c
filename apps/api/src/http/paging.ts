import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { PageRequest } from '#read-models';
import { WholeNumberField } from './fields.js';
import { Count, Position } from './views.js';

const DEFAULT_PAGE_SIZE = 50;
/** A page the dashboard can show at once; more is paged for, so that no request reads a whole register. */
const MAX_PAGE_SIZE = 500;

/** The query parameters every paged list takes. */
export class PageQuery {
  @WholeNumberField(`At most this many items (${DEFAULT_PAGE_SIZE} by default, at most ${MAX_PAGE_SIZE})`, 1, MAX_PAGE_SIZE, true) limit?: number;
  @WholeNumberField('Items skipped before the first one answered (0 by default)', 0, 1_000_000_000, true) offset?: number;
}

export const pageRequested = (query: PageQuery): PageRequest => ({ limit: query.limit ?? DEFAULT_PAGE_SIZE, offset: query.offset ?? 0 });

/** The answer of a paged list, named `name`: a page of `Item`, how many there are in all, and the log position read at. */
export function PageOf(name: string, Item: Type<unknown>, description: string): Type<unknown> {
  class PageBody {
    @Position() position!: string;
    @ApiProperty({ type: [Item], description }) items!: unknown[];
    @Count('How many items the whole list holds, whatever the page', { example: 128 }) total!: number;
    @Count('Items skipped before the first one here', { example: 0 }) offset!: number;
    @Count('At most this many items were asked for', { example: 50 }) limit!: number;
  }
  Object.defineProperty(PageBody, 'name', { value: name });
  return PageBody;
}
