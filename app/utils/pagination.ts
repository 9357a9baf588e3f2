import { z } from 'zod'

/** Past this, OFFSET makes Postgres walk millions of rows for one page; larger sets have cursors. */
export const MAX_PAGE = 10_000

export const PageSchema = z.coerce
	.number({ error: 'page must be a number' })
	.int('page must be a whole number')
	.min(1, 'page must be at least 1')
	.max(MAX_PAGE, `page must be at most ${MAX_PAGE}`)
	.default(1)

export function pageSizeSchema(max: number) {
	return z.coerce
		.number({ error: 'pageSize must be a number' })
		.int('pageSize must be a whole number')
		.min(1, 'pageSize must be at least 1')
		.max(max, `pageSize must be at most ${max}`)
		.default(25)
}
