import { Prisma } from '#app/generated/prisma/client.ts'
import { loadComparisonBattles } from '#app/modules/items/comparison-battles.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { AppError, ErrorCode } from '#app/utils/errors.ts'
import type { ItemListQuery } from './project.schema.ts'

export type ItemStatus = 'waiting' | 'open' | 'in-progress' | 'complete' | 'gold'

const STATUS_WHERE: Record<ItemStatus, Prisma.Sql> = {
	open: Prisma.sql`NOT i.is_gold AND i.is_open AND i.judgment_count = 0`,
	'in-progress': Prisma.sql`NOT i.is_gold AND i.is_open AND i.judgment_count > 0`,
	complete: Prisma.sql`NOT i.is_gold AND NOT i.is_open AND NOT i.awaiting_responses`,
	waiting: Prisma.sql`NOT i.is_gold AND i.awaiting_responses`,
	gold: Prisma.sql`i.is_gold`,
}

const ORDER: Record<ItemListQuery['sort'], string> = {
	externalId: 'i.external_id',
	judgmentCount: 'i.judgment_count',
	createdAt: 'i.created_at',
	seq: 'i.seq',
}

const statusOf = (row: {
	is_gold: boolean
	is_open: boolean
	judgment_count: number
	awaiting_responses?: boolean
}): ItemStatus =>
	row.is_gold
		? 'gold'
		: row.awaiting_responses
			? 'waiting'
			: !row.is_open
				? 'complete'
				: row.judgment_count > 0
					? 'in-progress'
					: 'open'

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`

/** A page of a project's items for the admin table: sorted, filtered by status or text, and paginated in Postgres. */
export async function listItems({
	projectId,
	query,
	comparison = false,
}: {
	projectId: string
	query: ItemListQuery
	/** A comparison project's items also carry their battles per pair. */
	comparison?: boolean
}) {
	const conditions = [Prisma.sql`i.project_id = ${projectId}::uuid`]
	if (query.status) conditions.push(STATUS_WHERE[query.status])
	if (query.q) {
		const pattern = likePattern(query.q)
		conditions.push(Prisma.sql`(i.external_id ILIKE ${pattern} OR i.context->>'prompt' ILIKE ${pattern})`)
	}
	const where = Prisma.join(conditions, ' AND ')
	const order = Prisma.raw(
		`${ORDER[query.sort]} ${query.dir === 'desc' ? 'DESC' : 'ASC'}, i.seq ${query.dir === 'desc' ? 'DESC' : 'ASC'}`,
	)
	const [rows, [count]] = await Promise.all([
		prisma.$queryRaw<
			{
				id: string
				external_id: string
				is_gold: boolean
				is_open: boolean
				awaiting_responses: boolean
				generation_issue: string | null
				judgment_count: number
				created_at: Date
				preview: string | null
				response_count: number
				active_leases: number
				models: (string | null)[] | null
			}[]
		>`
			SELECT i.id::text, i.external_id, i.is_gold, i.is_open, i.awaiting_responses, i.generation_issue, i.judgment_count, i.created_at,
				left(coalesce(i.context->>'prompt', (
					SELECT m.value->>'content' FROM jsonb_array_elements(i.context->'messages') WITH ORDINALITY AS m(value, n)
					WHERE m.value->>'role' = 'user' ORDER BY m.n DESC LIMIT 1
				)), 160) AS preview,
				(SELECT count(*) FROM responses r WHERE r.item_id = i.id)::int AS response_count,
				(SELECT array_agg(r.model ORDER BY r.position) FROM responses r WHERE r.item_id = i.id) AS models,
				(SELECT count(*) FROM leases l WHERE l.item_id = i.id AND l.state = 'active' AND l.expires_at > now())::int AS active_leases
			FROM items i WHERE ${where}
			ORDER BY ${order}
			LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
		prisma.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM items i WHERE ${where}`,
	])
	const battles = comparison ? await loadComparisonBattles({ itemIds: rows.map((row) => row.id) }) : null
	return {
		total: count?.total ?? 0,
		page: query.page,
		pageSize: query.pageSize,
		items: rows.map((row) => ({
			id: row.id,
			externalId: row.external_id,
			status: statusOf(row),
			generationIssue: row.generation_issue,
			judgmentCount: row.judgment_count,
			responseCount: row.response_count,
			/** Each response's model in stored order (null where the import named none). */
			models: row.models ?? [],
			...(battles ? { battles: battles.get(row.id) ?? [] } : {}),
			activeLeases: row.active_leases,
			preview: row.preview ?? '',
			createdAt: row.created_at.toISOString(),
		})),
	}
}

const encodeCursor = (seq: bigint) => Buffer.from(`seq:${seq}`).toString('base64url')

function decodeCursor(cursor: string | undefined) {
	if (!cursor) return null
	const match = /^seq:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
	if (!match) {
		throw new AppError(ErrorCode.Invalid, 'cursor is not valid; pass back the nextCursor of a previous page', {
			fieldErrors: [{ path: 'cursor', message: 'invalid cursor' }],
		})
	}
	return BigInt(match[1]!)
}

/** Every item of a project with its full content, in import order, a page at a time (for the API). */
export async function listItemsByCursor({
	projectId,
	cursor,
	limit,
	status,
	comparison = false,
}: {
	projectId: string
	cursor?: string
	limit: number
	status?: ItemStatus
	/** A comparison project's items also carry their battles per pair. */
	comparison?: boolean
}) {
	const after = decodeCursor(cursor)
	const statusWhere: Record<ItemStatus, Prisma.ItemWhereInput> = {
		open: { isGold: false, isOpen: true, judgmentCount: 0 },
		'in-progress': { isGold: false, isOpen: true, judgmentCount: { gt: 0 } },
		complete: { isGold: false, isOpen: false, awaitingResponses: false },
		waiting: { isGold: false, awaitingResponses: true },
		gold: { isGold: true },
	}
	const rows = await prisma.item.findMany({
		where: { projectId, ...(after !== null ? { seq: { gt: after } } : {}), ...(status ? statusWhere[status] : {}) },
		orderBy: { seq: 'asc' },
		take: limit + 1,
		select: {
			id: true,
			seq: true,
			externalId: true,
			context: true,
			metadata: true,
			gold: true,
			isGold: true,
			isOpen: true,
			awaitingResponses: true,
			judgmentCount: true,
			createdAt: true,
			updatedAt: true,
			responses: { orderBy: { position: 'asc' }, select: { key: true, model: true, content: true, metadata: true } },
		},
	})
	const page = rows.slice(0, limit)
	const battles = comparison ? await loadComparisonBattles({ itemIds: page.map((row) => row.id) }) : null
	return {
		items: page.map((row) => ({
			id: row.id,
			externalId: row.externalId,
			status: statusOf({
				is_gold: row.isGold,
				is_open: row.isOpen,
				judgment_count: row.judgmentCount,
				awaiting_responses: row.awaitingResponses,
			}),
			judgmentCount: row.judgmentCount,
			context: row.context,
			responses: row.responses.map((response) => ({
				id: response.key,
				model: response.model,
				content: response.content,
				metadata: response.metadata,
			})),
			...(battles ? { battles: battles.get(row.id) ?? [] } : {}),
			metadata: row.metadata,
			gold: row.gold,
			createdAt: row.createdAt.toISOString(),
			updatedAt: row.updatedAt.toISOString(),
		})),
		nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.seq) : null,
	}
}
