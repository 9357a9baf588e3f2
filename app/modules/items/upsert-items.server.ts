import type { CanonicalItem, ImportError } from '#app/modules/imports/parse/types.ts'
import type { SqlTransaction } from '#app/utils/db.server.ts'

export type UpsertCounts = { imported: number; updated: number; unchanged: number }

type Existing = { id: string; external_id: string; content_hash: string; locked: boolean }

/**
 * Writes one batch of validated items inside the caller's transaction, with a handful of
 * set-based statements rather than one INSERT per row. An item whose content changed is updated
 * only while nobody has judged or leased it; otherwise its line is refused. With `write: false`
 * the batch is only classified, for an import that will be rolled back but still reports every line.
 */
export async function upsertItemBatch({
	tx,
	projectId,
	items,
	write = true,
	responsesNeeded = 2,
	selfIdPattern = null,
}: {
	tx: SqlTransaction
	projectId: string
	items: { line: number; item: CanonicalItem }[]
	write?: boolean
	/** An item with fewer responses waits, closed to the claim, until a generation run fills it. */
	responsesNeeded?: number
	/** Comparison projects: responses matching it are marked `self_identifies` (`selfIdPattern`). */
	selfIdPattern?: string | null
}): Promise<UpsertCounts & { errors: ImportError[] }> {
	const awaiting = (item: CanonicalItem) => item.responses.length < responsesNeeded
	const counts: UpsertCounts = { imported: 0, updated: 0, unchanged: 0 }
	const errors: ImportError[] = []
	if (items.length === 0) return { ...counts, errors }

	const externalIds = items.map(({ item }) => item.externalId)
	const { rows: existingRows } = await tx.query<Existing>({
		name: 'quorum_import_existing',
		text: `SELECT i.id::text, i.external_id, i.content_hash,
				(EXISTS (SELECT 1 FROM judgments j WHERE j.item_id = i.id)
					OR EXISTS (SELECT 1 FROM leases l WHERE l.item_id = i.id AND l.state = 'active')) AS locked
			FROM items i
			WHERE i.project_id = $1::uuid AND i.external_id = ANY($2::text[])`,
		values: [projectId, externalIds],
	})
	const existing = new Map(existingRows.map((row) => [row.external_id, row]))

	const toInsert: CanonicalItem[] = []
	const toUpdate: { id: string; item: CanonicalItem }[] = []
	for (const { line, item } of items) {
		const row = existing.get(item.externalId)
		if (!row) toInsert.push(item)
		else if (row.content_hash === item.contentHash) counts.unchanged++
		else if (row.locked) {
			errors.push({
				line,
				path: 'id',
				message: `item "${item.externalId}" already has judgments (a person's or an AI judge's) or an active lease, so its content cannot change; import it under a new id`,
			})
		} else toUpdate.push({ id: row.id, item })
	}
	if (!write) return { imported: toInsert.length, updated: toUpdate.length, unchanged: counts.unchanged, errors }

	if (toInsert.length > 0) {
		const { rows: inserted } = await tx.query<{ id: string; external_id: string }>({
			name: 'quorum_import_insert_items',
			text: `INSERT INTO items (project_id, external_id, context, metadata, gold, is_gold, content_hash, awaiting_responses, is_open)
				SELECT $1::uuid, t.external_id, t.context::jsonb, t.metadata::jsonb, t.gold::jsonb, t.gold IS NOT NULL, t.content_hash, t.awaiting, NOT t.awaiting
				FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bool[]) AS t(external_id, context, metadata, gold, content_hash, awaiting)
				RETURNING id::text, external_id`,
			values: [
				projectId,
				toInsert.map((item) => item.externalId),
				toInsert.map((item) => JSON.stringify(item.context)),
				toInsert.map((item) => (item.metadata ? JSON.stringify(item.metadata) : null)),
				toInsert.map((item) => (item.gold ? JSON.stringify(item.gold) : null)),
				toInsert.map((item) => item.contentHash),
				toInsert.map(awaiting),
			],
		})
		const idByExternal = new Map(inserted.map((row) => [row.external_id, row.id]))
		await insertResponses(
			tx,
			toInsert.map((item) => ({ itemId: idByExternal.get(item.externalId)!, item })),
			selfIdPattern,
		)
		counts.imported += inserted.length
	}

	if (toUpdate.length > 0) {
		await tx.query({
			text: `UPDATE items i SET context = t.context::jsonb, metadata = t.metadata::jsonb, gold = t.gold::jsonb,
					is_gold = t.gold IS NOT NULL, content_hash = t.content_hash, updated_at = now(),
					awaiting_responses = t.awaiting, generation_issue = NULL,
					is_open = CASE WHEN t.awaiting THEN false WHEN i.awaiting_responses THEN true ELSE i.is_open END
				FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[]) AS t(id, context, metadata, gold, content_hash, awaiting)
				WHERE i.id = t.id`,
			values: [
				toUpdate.map(({ id }) => id),
				toUpdate.map(({ item }) => JSON.stringify(item.context)),
				toUpdate.map(({ item }) => (item.metadata ? JSON.stringify(item.metadata) : null)),
				toUpdate.map(({ item }) => (item.gold ? JSON.stringify(item.gold) : null)),
				toUpdate.map(({ item }) => item.contentHash),
				toUpdate.map(({ item }) => awaiting(item)),
			],
		})
		await tx.query({
			text: 'DELETE FROM responses WHERE item_id = ANY($1::uuid[])',
			values: [toUpdate.map(({ id }) => id)],
		})
		await insertResponses(
			tx,
			toUpdate.map(({ id, item }) => ({ itemId: id, item })),
			selfIdPattern,
		)
		counts.updated += toUpdate.length
	}
	return { ...counts, errors }
}

async function insertResponses(
	tx: SqlTransaction,
	rows: { itemId: string; item: CanonicalItem }[],
	selfIdPattern: string | null,
) {
	const itemIds: string[] = []
	const keys: string[] = []
	const positions: number[] = []
	const models: (string | null)[] = []
	const contents: string[] = []
	const metadata: (string | null)[] = []
	for (const { itemId, item } of rows) {
		item.responses.forEach((response, index) => {
			itemIds.push(itemId)
			keys.push(response.id)
			positions.push(index)
			models.push(response.model)
			contents.push(response.content)
			metadata.push(response.metadata ? JSON.stringify(response.metadata) : null)
		})
	}
	await tx.query({
		name: 'quorum_import_insert_responses',
		text: `INSERT INTO responses (item_id, key, position, model, content, metadata, self_identifies)
			SELECT t.item_id, t.key, t.position, t.model, t.content, t.metadata::jsonb, COALESCE(t.content ~* $7::text, false)
			FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[]) AS t(item_id, key, position, model, content, metadata)`,
		values: [itemIds, keys, positions, models, contents, metadata, selfIdPattern],
	})
}
