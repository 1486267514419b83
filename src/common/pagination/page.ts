import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import { invalidCursor } from '../../common/errors/domain-error';
import { isUuid } from '../validation/uuid';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: 'Items per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Keyset paging. A cursor names the last row of the previous page; the next
 * page starts after that row in the list's order. The sort key is re-read from
 * the row itself, so it keeps the database's full timestamp precision.
 */
export async function paginate<E extends ObjectLiteral>(
  query: SelectQueryBuilder<E>,
  page: PageQueryDto,
  order: { table: string; columns: string[] },
): Promise<Page<E>> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  const alias = query.alias;
  const keys = order.columns.map((column) => `${alias}.${column}`).join(', ');
  if (page.cursor !== undefined) {
    const afterId = decodeCursor(page.cursor);
    const cursorKeys = order.columns.map((column) => `c.${column}`).join(', ');
    query.andWhere(`(${keys}) < (SELECT ${cursorKeys} FROM ${order.table} c WHERE c.id = :afterId)`, { afterId });
  }
  for (const column of order.columns) query.addOrderBy(`${alias}.${column}`, 'DESC');
  const rows = await query.limit(limit + 1).getMany();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1] as { id?: string } | undefined;
  return { items, nextCursor: rows.length > limit && last?.id ? encodeCursor(last.id) : null };
}

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isUuid(id)) throw invalidCursor();
  return id;
}

export function mapPage<T, R>(page: Page<T>, map: (item: T) => R): Page<R> {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}
