import {
	parseItemContext,
	parseRanking,
	type StoredItemContext,
	type StoredRanking,
} from '#app/modules/projects/json-columns.ts'
import type { AssignmentProject } from './assignment-project.ts'
import type { ClaimRow, JudgmentRow } from './assignments.queries.ts'

/** A leased item as the API returns it: responses in the order shown, model names only where the project shows them. */
export type Assignment = {
	lease: { id: string; expiresAt: string }
	item: {
		id: string
		externalId: string
		context: StoredItemContext
		responses: { id: string; content: string; model?: string | null }[]
	}
	project: AssignmentProject
	draft: unknown
	/** The stored HTML of the item, for the workspace; not part of the API's answer. */
	rendered: unknown
}

export function assignmentFromRow(row: ClaimRow, project: AssignmentProject): Assignment {
	const byKey = new Map(row.responses.map((response) => [response.key, response]))
	return {
		lease: { id: row.lease_id, expiresAt: row.expires_at.toISOString() },
		item: {
			id: row.item_id,
			externalId: row.external_id,
			context: parseItemContext(row.context),
			responses: row.display_order.map((key) => {
				const response = byKey.get(key)!
				return project.showModelNames
					? { id: key, content: response.content, model: response.model }
					: { id: key, content: response.content }
			}),
		},
		project,
		draft: row.draft ?? null,
		rendered: row.rendered ?? null,
	}
}

export type StoredJudgment = {
	id: string
	itemId: string
	leaseId: string | null
	revision: number
	ranking: StoredRanking
	bothBad: boolean
	strength: number | null
	createdAt: string
	updatedAt: string
}

export function serializeJudgment(row: {
	id: string
	itemId: string
	leaseId: string | null
	revision: number
	ranking: unknown
	bothBad: boolean
	strength: number | null
	createdAt: Date
	updatedAt: Date
}): StoredJudgment {
	return {
		id: row.id,
		itemId: row.itemId,
		leaseId: row.leaseId,
		revision: row.revision,
		ranking: parseRanking(row.ranking),
		bothBad: row.bothBad,
		strength: row.strength,
		createdAt: row.createdAt.toISOString(),
		updatedAt: row.updatedAt.toISOString(),
	}
}

export function judgmentFromRow(row: JudgmentRow): StoredJudgment {
	return serializeJudgment({
		id: row.id,
		itemId: row.item_id,
		leaseId: row.lease_id,
		revision: row.revision,
		ranking: row.ranking,
		bothBad: row.both_bad,
		strength: row.strength,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
	})
}
