import { createHmac } from 'node:crypto'
import pg from 'pg'
import { consensusFor, type Vote } from '#app/modules/analytics/consensus.ts'
import type { AgreementStat } from '#exports/dataset-card.ts'
import type { ExportOptions } from '#exports/options.ts'
import type { Message, SourceContext, SourceJudgment, SourceResponse } from '#exports/types.ts'

/**
 * Reads a project's judgments for an export, straight from Postgres in constant memory: items in
 * import order (keyset pagination on `seq`, a batch at a time), each with its responses, latest
 * judgments and latest adjudication. Everything runs in one REPEATABLE READ transaction, so the
 * export sees a single snapshot however long it takes and however many judgments arrive meanwhile.
 */

// Small enough that a batch is written before the young generation fills, so its objects die young.
export const DEFAULT_BATCH_ITEMS = 250

/** Stable per project, never the email: the same annotator has unrelated pseudonyms in two projects. */
export function annotatorPseudonym({ projectId, userId }: { projectId: string; userId: string }) {
	return `annotator-${createHmac('sha256', projectId).update(userId).digest('hex').slice(0, 8)}`
}

/**
 * One item of a batch as Postgres builds it: positional arrays rather than objects, which halves
 * the JSON Postgres has to build and the driver has to carry.
 */
type BatchItem = [
	id: string,
	externalId: string,
	context: SourceContext,
	/** [key, model, content] in stored order. */
	responses: [string, string | null, string][] | null,
	judgments: BatchJudgment[] | null,
	adjudication: [ranking: string[][], bothBad: boolean, strength: number | null, createdAt: string] | null,
]
type BatchJudgment = [
	id: string,
	userId: string,
	displayOrder: string[],
	ranking: string[][],
	bothBad: boolean,
	strength: number | null,
	criteria: Record<string, Record<string, number>> | null,
	flags: Record<string, string[]> | null,
	rationale: string | null,
	activeMs: number | null,
	guidelineVersion: number | null,
	revision: number,
	createdAt: string,
	updatedAt: string,
]

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/**
 * A batch of items, in import order, as a single JSON text. Postgres assembles the JSON far faster
 * than the driver decodes thousands of typed rows, and JSON.parse reads it in one pass. Timestamps
 * are formatted as JavaScript's toISOString() would.
 */
const BATCH_SQL = `
	SELECT max(seq)::text AS last_seq, count(*)::int AS items, coalesce(json_agg(doc ORDER BY seq), '[]')::text AS docs FROM (
		SELECT i.seq, json_build_array(
			i.id, i.external_id, i.context,
			(SELECT json_agg(json_build_array(r.key, r.model, r.content) ORDER BY r.position) FROM responses r WHERE r.item_id = i.id),
			(SELECT json_agg(json_build_array(
					j.id, j.user_id, j.display_order, j.ranking, j.both_bad, j.strength, j.criteria, j.flags, j.rationale, j.active_ms,
					j.guideline_version, j.revision, ${iso('j.created_at')}, ${iso('j.updated_at')}
				) ORDER BY j.created_at, j.id) FROM judgments j WHERE j.item_id = i.id),
			(SELECT json_build_array(a.ranking, a.both_bad, a.strength, ${iso('a.created_at')})
				FROM adjudications a WHERE a.item_id = i.id ORDER BY a.created_at DESC, a.id DESC LIMIT 1)
		) AS doc
		FROM items i
		WHERE i.project_id = $1 AND NOT i.is_gold AND i.seq > $2::bigint
			AND (EXISTS (SELECT 1 FROM judgments j WHERE j.item_id = i.id) OR EXISTS (SELECT 1 FROM adjudications a WHERE a.item_id = i.id))
		ORDER BY i.seq LIMIT $3
	) batch`

/** The stored criteria are response → criterion → rating; exports speak criterion → response → rating. */
function criteriaByCriterion(stored: Record<string, Record<string, number>> | null) {
	if (!stored) return null
	const out: Record<string, Record<string, number>> = {}
	for (const [responseId, ratings] of Object.entries(stored)) {
		for (const [criterion, value] of Object.entries(ratings)) (out[criterion] ??= {})[responseId] = value
	}
	return Object.keys(out).length > 0 ? out : null
}

function normalizeContext(context: SourceContext): SourceContext {
	if ('messages' in context) return { messages: context.messages.map((message: Message) => ({ role: message.role, content: message.content })) }
	return { prompt: context.prompt }
}

/** Share of the gold answer's strict pairs that a judgment orders the same way. */
function goldPairs({ ranking, gold }: { ranking: string[][]; gold: string[][] }) {
	const rank = (tiers: string[][]) => new Map(tiers.flatMap((tier, index) => tier.map((id) => [id, index] as const)))
	const expected = rank(gold)
	const actual = rank(ranking)
	const ids = [...expected.keys()]
	let total = 0
	let matching = 0
	for (let i = 0; i < ids.length; i++) {
		for (let j = i + 1; j < ids.length; j++) {
			const a = ids[i]!
			const b = ids[j]!
			const want = Math.sign(expected.get(a)! - expected.get(b)!)
			if (want === 0) continue
			total++
			const got = actual.has(a) && actual.has(b) ? Math.sign(actual.get(a)! - actual.get(b)!) : null
			if (got === want) matching++
		}
	}
	return { total, matching }
}

export type GoldAccuracy = { annotator: string; accuracy: number; judgments: number }

export type ExportSourceProgress = { recordsRead: number; recordsTotal: number; itemsRead: number }

export type ExportSource = {
	snapshotAt: string
	/** Records the source will yield: judgments, or items under consensus aggregation. */
	recordsTotal: number
	items: number
	judgments: number
	adjudicatedItems: number
	/** Explicit exclusions plus annotators below the gold-accuracy bar, sorted. */
	excludeAnnotators: string[]
	goldAccuracy: GoldAccuracy[]
	/** The records a batch at a time: one await per batch rather than per record. */
	records: AsyncIterable<SourceJudgment[]>
	/** Filled in as records are read; complete once `records` is exhausted. */
	summary: { annotators: number; agreement: AgreementStat[] }
	close: () => Promise<void>
}

/**
 * Opens the snapshot and prepares the stream. `afterBatch` runs between batches, once the previous
 * batch's records have been consumed: the place to report progress and to stop (by throwing).
 */
export async function openExportSource({
	projectId,
	options,
	minGoldAccuracy,
	batchItems = DEFAULT_BATCH_ITEMS,
	limitItems,
	afterBatch,
	connectionString = process.env.DATABASE_URL,
}: {
	projectId: string
	options: Pick<ExportOptions, 'aggregation' | 'excludeAnnotators'>
	minGoldAccuracy?: number
	batchItems?: number
	/** Stop after this many items (previews). */
	limitItems?: number
	afterBatch?: (progress: ExportSourceProgress) => Promise<void>
	connectionString?: string
}): Promise<ExportSource> {
	if (!connectionString) throw new Error('DATABASE_URL is not set: the database was not started before use')
	const client = new pg.Client({ connectionString, application_name: 'quorum-export', keepAlive: true })
	await client.connect()
	let closed = false
	const close = async () => {
		if (closed) return
		closed = true
		await client.query('ROLLBACK').catch(() => {})
		await client.end().catch(() => {})
	}

	try {
		await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
		const { rows: snapshotRows } = await client.query<{ now: Date }>('SELECT now()')
		const snapshotAt = snapshotRows[0]!.now.toISOString()
		const pseudonyms = new Map<string, string>()
		const pseudonym = (userId: string) => {
			let name = pseudonyms.get(userId)
			if (name === undefined) {
				name = annotatorPseudonym({ projectId, userId })
				pseudonyms.set(userId, name)
			}
			return name
		}

		const goldAccuracy = await readGoldAccuracy({ client, projectId, pseudonym })
		const belowBar = minGoldAccuracy === undefined ? [] : goldAccuracy.filter((entry) => entry.accuracy < minGoldAccuracy).map((entry) => entry.annotator)
		const excludeAnnotators = [...new Set([...options.excludeAnnotators, ...belowBar])].sort()
		const excluded = new Set(excludeAnnotators)

		const { rows: countRows } = await client.query<{ items: number; judgments: number; adjudicated: number }>(
			`SELECT
				(SELECT count(*)::int FROM items i WHERE i.project_id = $1 AND NOT i.is_gold
					AND (EXISTS (SELECT 1 FROM judgments j WHERE j.item_id = i.id) OR EXISTS (SELECT 1 FROM adjudications a WHERE a.item_id = i.id))) AS items,
				(SELECT count(*)::int FROM judgments j JOIN items i ON i.id = j.item_id WHERE i.project_id = $1 AND NOT i.is_gold) AS judgments,
				(SELECT count(DISTINCT a.item_id)::int FROM adjudications a JOIN items i ON i.id = a.item_id WHERE i.project_id = $1 AND NOT i.is_gold) AS adjudicated`,
			[projectId],
		)
		const counts = countRows[0]!
		const consensus = options.aggregation === 'consensus'
		const summary: ExportSource['summary'] = { annotators: 0, agreement: [] }

		async function* records(): AsyncGenerator<SourceJudgment[]> {
			let lastSeq = '-1'
			let itemsRead = 0
			let recordsRead = 0
			const recordsTotal = consensus ? counts.items : counts.judgments
			const annotators = new Set<string>()
			let agreementSum = 0
			let agreementItems = 0
			let unanimous = 0
			try {
				type BatchRow = { last_seq: string | null; items: number; docs: string }
				const fetchBatch = (after: string, limit: number) =>
					limit <= 0 ? null : client.query<BatchRow>({ name: 'quorum_export_batch', text: BATCH_SQL, values: [projectId, after, limit] }).then(({ rows }) => rows[0]!)
				const limitAfter = (read: number) => (limitItems === undefined ? batchItems : Math.min(batchItems, limitItems - read))
				let pending = fetchBatch(lastSeq, limitAfter(itemsRead))
				for (;;) {
					const batch = await pending
					if (!batch || batch.items === 0 || batch.last_seq === null) break
					lastSeq = batch.last_seq
					itemsRead += batch.items
					// Postgres builds the next batch while this one is turned into rows.
					pending = batch.items < limitAfter(itemsRead - batch.items) ? null : fetchBatch(lastSeq, limitAfter(itemsRead))
					pending?.catch(() => {})
					const items = JSON.parse(batch.docs) as BatchItem[]
					const out: SourceJudgment[] = []

					for (const [itemId, externalId, storedContext, storedResponses, storedJudgments, adjudication] of items) {
						const itemResponses: SourceResponse[] = (storedResponses ?? []).map(([id, model, content]) => ({ id, model, content }))
						const responseIds = itemResponses.map((response) => response.id)
						const itemJudgments = storedJudgments ?? []
						const counted = itemJudgments.filter((judgment) => !excluded.has(pseudonym(judgment[1])))
						const votes: Vote[] = counted.map(([, userId, , ranking, bothBad, strength]) => ({ userId, ranking, bothBad, strength }))
						const itemConsensus = consensusFor({
							responseIds,
							votes,
							adjudication: adjudication ? { ranking: adjudication[0], bothBad: adjudication[1], strength: adjudication[2] } : null,
						})
						if (itemConsensus.agreement !== null) {
							agreementSum += itemConsensus.agreement
							agreementItems++
							if (itemConsensus.agreement === 1) unanimous++
						}
						const context = normalizeContext(storedContext)
						const adjudicated = adjudication !== null

						if (consensus) {
							recordsRead++
							if (votes.length === 0 && !adjudicated) continue
							for (const vote of counted) annotators.add(pseudonym(vote[1]))
							// ISO strings in UTC with fixed width compare like the instants they name.
							const times = [...counted.flatMap((judgment) => [judgment[12], judgment[13]]), ...(adjudication ? [adjudication[3]] : [])].sort()
							out.push({
								judgmentId: null,
								itemId,
								externalId,
								context,
								responses: itemResponses,
								ranking: itemConsensus.ranking,
								bothBad: itemConsensus.bothBad,
								strength: itemConsensus.strength,
								annotator: null,
								displayOrder: [],
								criteria: null,
								flags: null,
								rationale: null,
								activeMs: null,
								guidelineVersion: null,
								createdAt: times[0]!,
								updatedAt: times[times.length - 1]!,
								adjudicated,
								agreement: itemConsensus.agreement,
								revision: 1,
							})
							continue
						}

						for (const [judgmentId, userId, displayOrder, ranking, bothBad, strength, criteria, flags, rationale, activeMs, guidelineVersion, revision, createdAt, updatedAt] of itemJudgments) {
							recordsRead++
							const annotator = pseudonym(userId)
							if (!excluded.has(annotator)) annotators.add(annotator)
							out.push({
								judgmentId,
								itemId,
								externalId,
								context,
								responses: itemResponses,
								ranking,
								bothBad,
								strength,
								annotator,
								displayOrder,
								criteria: criteriaByCriterion(criteria),
								flags: flags && Object.keys(flags).length > 0 ? flags : null,
								rationale,
								activeMs,
								guidelineVersion,
								createdAt,
								updatedAt,
								adjudicated,
								agreement: itemConsensus.agreement,
								revision,
							})
						}
					}
					yield out
					await afterBatch?.({ recordsRead, recordsTotal, itemsRead })
				}
				summary.annotators = annotators.size
				summary.agreement =
					agreementItems > 0
						? [
								{ metric: 'Mean item agreement (share of votes matching the consensus)', value: round(agreementSum / agreementItems) },
								{ metric: 'Items where every vote matches the consensus', value: round(unanimous / agreementItems) },
							]
						: []
			} finally {
				await close()
			}
		}

		return {
			snapshotAt,
			recordsTotal: consensus ? counts.items : counts.judgments,
			items: counts.items,
			judgments: counts.judgments,
			adjudicatedItems: counts.adjudicated,
			excludeAnnotators,
			goldAccuracy,
			records: records(),
			summary,
			close,
		}
	} catch (error) {
		await close()
		throw error
	}
}

function round(value: number) {
	return Math.round(value * 10_000) / 10_000
}

async function readGoldAccuracy({ client, projectId, pseudonym }: { client: pg.Client; projectId: string; pseudonym: (userId: string) => string }) {
	const { rows } = await client.query<{ user_id: string; ranking: string[][]; gold: { ranking?: string[][] } | null }>(
		`SELECT j.user_id::text, j.ranking, i.gold FROM judgments j JOIN items i ON i.id = j.item_id
		WHERE i.project_id = $1 AND i.is_gold AND i.gold IS NOT NULL ORDER BY j.user_id`,
		[projectId],
	)
	const byUser = new Map<string, { total: number; matching: number; judgments: number }>()
	for (const row of rows) {
		const gold = row.gold?.ranking
		if (!gold) continue
		const { total, matching } = goldPairs({ ranking: row.ranking, gold })
		if (total === 0) continue
		const entry = byUser.get(row.user_id) ?? { total: 0, matching: 0, judgments: 0 }
		entry.total += total
		entry.matching += matching
		entry.judgments++
		byUser.set(row.user_id, entry)
	}
	return [...byUser.entries()]
		.map(([userId, entry]) => ({ annotator: pseudonym(userId), accuracy: round(entry.matching / entry.total), judgments: entry.judgments }))
		.sort((a, b) => (a.annotator < b.annotator ? -1 : a.annotator > b.annotator ? 1 : 0))
}
