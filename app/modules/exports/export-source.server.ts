import { createHmac } from 'node:crypto'
import pg from 'pg'
import { rankingCoversPair, splitComparisonItem } from '#app/modules/analytics/comparison-units.ts'
import { consensusFor, type Vote } from '#app/modules/analytics/consensus.ts'
import { serverSecretKey } from '#app/modules/secrets/server-secret.server.ts'
import { estimateDawidSkene, judgmentSources } from './export-dawid-skene.server.ts'
import type { AgreementStat } from '#exports/dataset-card.ts'
import type { ExportOptions } from '#exports/options.ts'
import {
	NO_DETAILS,
	type Message,
	type SourceContext,
	type SourceJudgment,
	type SourceResponse,
} from '#exports/types.ts'

/**
 * Reads a project's judgments for an export, straight from Postgres in constant memory: items in
 * import order, a batch at a time, each with its responses, latest judgments and latest
 * adjudication. Everything runs in REPEATABLE READ transactions sharing one exported snapshot, so
 * the export sees a single state of the project however long it takes and however many judgments
 * arrive meanwhile. Two connections build batches in turn, so Postgres assembles the next batches
 * on a second core while this process turns the current one into rows (ADR 0009).
 */

// Large enough that a query's round trip (about a millisecond of wakeups on each side) is a small
// share of a batch; small enough that the batches in flight and in hand stay a few megabytes.
export const DEFAULT_BATCH_ITEMS = 500

/** Connections building batches at once; each has one batch in flight. */
const BATCH_CONNECTIONS = 2

/**
 * Stable per project, never the email: the same annotator has unrelated pseudonyms in two
 * projects. Keyed by the server's secret, so knowing the project and user ids (both appear in the
 * API) is not enough to tell who is who; 64 bits, so pseudonyms do not collide.
 */
export function annotatorPseudonym({
	projectId,
	userId,
	key = serverSecretKey(),
}: {
	projectId: string
	userId: string
	key?: Buffer
}) {
	return `annotator-${createHmac('sha256', key).update(`${projectId}:${userId}`).digest('hex').slice(0, 16)}`
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
/** The details are there only when the format reads them. */
type BatchJudgment = [
	id: string,
	userId: string,
	ranking: string[][],
	bothBad: boolean,
	strength: number | null,
	displayOrder?: string[],
	criteria?: Record<string, Record<string, number>> | null,
	flags?: Record<string, string[]> | null,
	rationale?: string | null,
	activeMs?: number | null,
	guidelineVersion?: number | null,
	revision?: number,
	createdAt?: string,
	updatedAt?: string,
	source?: 'human' | 'model',
]

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/**
 * The eligible items (non-gold, with a judgment or an adjudication) with seq in ($2, $3], at most
 * $4 of them, in import order, with the judgments of the sources $5 ('human', 'model' or 'all'): one row per item, its seq and its JSON text. One text column per
 * row keeps the driver's work small, and a JSON text per item rather than per batch keeps each
 * string small enough for the young generation. Responses are read only for eligible items.
 * Timestamps are formatted as JavaScript's toISOString() would.
 */
const batchSql = (details: boolean, comparison = false) => `
	SELECT i.seq::text, json_build_array(
		i.id, i.external_id, i.context,
		(SELECT json_agg(json_build_array(r.key, ${comparison ? 'coalesce(r.model, r.key)' : 'r.model'}, r.content) ORDER BY r.position) FROM responses r WHERE r.item_id = i.id),
		j.docs, a.doc
	)::text
	FROM items i
	LEFT JOIN LATERAL (
		SELECT json_agg(json_build_array(
			j.id, j.user_id, j.ranking, j.both_bad, j.strength${
				details
					? `, j.display_order, j.criteria, j.flags, j.rationale, j.active_ms, j.guideline_version, j.revision, ${iso('j.created_at')}, ${iso('j.updated_at')}, j.source`
					: comparison
						? ', j.display_order'
						: ''
			}
		) ORDER BY j.created_at, j.id) AS docs FROM judgments j WHERE j.item_id = i.id AND ($5 = 'all' OR j.source::text = $5)
	) j ON true
	LEFT JOIN LATERAL (${
		comparison
			? `
		SELECT json_agg(json_build_array(a.ranking, a.both_bad, a.strength, ${iso('a.created_at')})) AS doc FROM (
			SELECT DISTINCT ON (k.keys) a.* FROM adjudications a,
				LATERAL (SELECT array_agg(key ORDER BY key) AS keys FROM jsonb_array_elements(a.ranking) t, jsonb_array_elements_text(t) key) k
			WHERE a.item_id = i.id ORDER BY k.keys, a.created_at DESC, a.id DESC
		) a`
			: `
		SELECT json_build_array(a.ranking, a.both_bad, a.strength, ${iso('a.created_at')}) AS doc
		FROM adjudications a WHERE a.item_id = i.id ORDER BY a.created_at DESC, a.id DESC LIMIT 1`
	}
	) a ON true
	WHERE i.project_id = $1 AND NOT i.is_gold AND i.seq > $2::bigint AND i.seq <= $3::bigint AND (j.docs IS NOT NULL OR a.doc IS NOT NULL)
	ORDER BY i.seq LIMIT $4`

const MAX_SEQ = '9223372036854775807'

/** Every `batchItems`-th non-gold item's seq: the batches' upper bounds, known up front so batches can be fetched ahead. */
const BOUNDS_SQL = `
	SELECT s.seq::text AS seq FROM (
		SELECT seq, row_number() OVER (ORDER BY seq) AS n FROM items WHERE project_id = $1 AND NOT is_gold
	) s WHERE s.n % $2 = 0 ORDER BY s.seq`

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
	if ('messages' in context)
		return { messages: context.messages.map((message: Message) => ({ role: message.role, content: message.content })) }
	return { prompt: context.prompt }
}

/** Share of the gold answer's strict pairs, among those the judgment ranks, that it orders the same way. */
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
			// A comparison judgment ranks the two responses it was shown: only their pair is scored.
			if (want === 0 || !actual.has(a) || !actual.has(b)) continue
			total++
			if (Math.sign(actual.get(a)! - actual.get(b)!) === want) matching++
		}
	}
	return { total, matching }
}

export type GoldAccuracy = { annotator: string; accuracy: number; judgments: number }

export type ExportSourceCounts = {
	/** Records the source will yield: judgments, or items under consensus or Dawid–Skene aggregation. */
	records: number
	items: number
	judgments: number
	adjudicatedItems: number
}

/** `recordsTotal` is null until the counts, read beside the stream, are in. */
export type ExportSourceProgress = { recordsRead: number; recordsTotal: number | null; itemsRead: number }

export type ExportSource = {
	snapshotAt: string
	/** Counted in the same snapshot on a connection of their own, while the records stream. */
	counts: Promise<ExportSourceCounts>
	/** Explicit exclusions plus annotators below the gold-accuracy bar, sorted. */
	excludeAnnotators: string[]
	goldAccuracy: GoldAccuracy[]
	/** The records a batch at a time: one await per batch rather than per record. */
	records: AsyncIterable<SourceJudgment[]>
	/** Filled in as records are read; complete once `records` is exhausted. */
	summary: { annotators: number; agreement: AgreementStat[] }
	close: () => Promise<void>
}

/** [seq, JSON text of a BatchItem] per item. */
type BatchRow = [seq: string, doc: string]

const COUNTS_SQL = `SELECT
	(SELECT count(*)::int FROM items i WHERE i.project_id = $1 AND NOT i.is_gold
		AND (EXISTS (SELECT 1 FROM judgments j WHERE j.item_id = i.id AND ($2 = 'all' OR j.source::text = $2))
			OR EXISTS (SELECT 1 FROM adjudications a WHERE a.item_id = i.id))) AS items,
	(SELECT count(*)::int FROM judgments j JOIN items i ON i.id = j.item_id WHERE i.project_id = $1 AND NOT i.is_gold
		AND ($2 = 'all' OR j.source::text = $2)) AS judgments,
	(SELECT count(DISTINCT a.item_id)::int FROM adjudications a JOIN items i ON i.id = a.item_id WHERE i.project_id = $1 AND NOT i.is_gold) AS adjudicated`

/** A comparison project's records are per judged pair: `units` counts the (item, pair) units judged. */
const COMPARISON_COUNTS_SQL = `SELECT
	(SELECT count(*)::int FROM items i WHERE i.project_id = $1 AND NOT i.is_gold
		AND (EXISTS (SELECT 1 FROM judgments j WHERE j.item_id = i.id AND ($2 = 'all' OR j.source::text = $2))
			OR EXISTS (SELECT 1 FROM adjudications a WHERE a.item_id = i.id))) AS items,
	(SELECT count(*)::int FROM judgments j JOIN items i ON i.id = j.item_id
		WHERE i.project_id = $1 AND NOT i.is_gold AND cardinality(j.display_order) = 2 AND ($2 = 'all' OR j.source::text = $2)) AS judgments,
	(SELECT count(DISTINCT (j.item_id, least(j.display_order[1], j.display_order[2]), greatest(j.display_order[1], j.display_order[2])))::int
		FROM judgments j JOIN items i ON i.id = j.item_id
		WHERE i.project_id = $1 AND NOT i.is_gold AND cardinality(j.display_order) = 2 AND ($2 = 'all' OR j.source::text = $2)) AS units,
	(SELECT count(DISTINCT a.item_id)::int FROM adjudications a JOIN items i ON i.id = a.item_id WHERE i.project_id = $1 AND NOT i.is_gold) AS adjudicated`

/** A batch row as the loop reads it: seq, the item (or a comparison unit), and a comparison item's keys. */
type BatchEntry = [seq: string, item: BatchItem, keys: string[] | null]

/**
 * A batch's items, parsed; a comparison item becomes its (item, pair) units (ADR 0024): each is
 * the item with the two responses its judgments saw (stored order), those judgments, and the
 * latest adjudication of that pair. Judgments that did not see exactly two of the item's keys
 * are left out.
 */
function batchEntries(batch: BatchRow[], comparison: boolean): BatchEntry[] {
	if (!comparison) return batch.map(([seq, doc]) => [seq, JSON.parse(doc) as BatchItem, null])
	const entries: BatchEntry[] = []
	for (const [seq, doc] of batch) {
		const [id, externalId, context, responses, judgments, adjudications] = JSON.parse(doc) as BatchItem
		const stored = responses ?? []
		const keys = stored.map(([key]) => key)
		const { units } = splitComparisonItem({
			responses: stored.map((response) => ({ key: response[0], response })),
			judgments: (judgments ?? []).map((judgment) => ({ displayOrder: judgment[5] ?? [], judgment })),
		})
		const decisions = (adjudications ?? []) as unknown as NonNullable<BatchItem[5]>[]
		for (const { pair, responses: shown, judgments: seen } of units) {
			const unit: BatchItem = [
				id,
				externalId,
				context,
				shown.map(({ response }) => response),
				seen.map(({ judgment }) => judgment),
				decisions.find((decision) => rankingCoversPair(decision[0], pair)) ?? null,
			]
			entries.push([seq, unit, keys])
		}
	}
	return entries
}

/**
 * Opens the snapshot and prepares the stream. `afterBatch` runs between batches, once the previous
 * batch's records have been consumed: the place to report progress and to stop (by throwing).
 * With `details: false` the records carry NO_DETAILS instead of the judgments' details, which
 * Postgres then does not read: for formats that do not use them (`DatasetFormat.readsDetails`).
 */
export async function openExportSource({
	projectId,
	options,
	details = true,
	reliability = false,
	minGoldAccuracy,
	batchItems = DEFAULT_BATCH_ITEMS,
	limitItems,
	afterBatch,
	connectionString = process.env.DATABASE_URL,
}: {
	projectId: string
	options: Pick<ExportOptions, 'aggregation' | 'excludeAnnotators' | 'minConfidence'> &
		Partial<Pick<ExportOptions, 'annotators'>>
	details?: boolean
	/** Whether records carry annotator reliabilities (`DatasetFormat.readsReliability`). */
	reliability?: boolean
	minGoldAccuracy?: number
	batchItems?: number
	/** Read only the first this many eligible items, on one connection (previews). */
	limitItems?: number
	afterBatch?: (progress: ExportSourceProgress) => Promise<void>
	connectionString?: string
}): Promise<ExportSource> {
	if (!connectionString) throw new Error('DATABASE_URL is not set: the database was not started before use')
	const clients: pg.Client[] = []
	const connect = async () => {
		const client = new pg.Client({ connectionString, application_name: 'quorum-export', keepAlive: true })
		// A connection ended while a query runs reports it here; the query's own promise carries the error.
		client.on('error', () => {})
		clients.push(client)
		await client.connect()
		return client
	}
	let closed = false
	// Ending a connection rolls back its read-only transaction.
	const close = async () => {
		if (closed) return
		closed = true
		await Promise.all(clients.map((client) => client.end().catch(() => {})))
	}

	try {
		const main = await connect()
		await main.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
		const { rows: snapshotRows } = await main.query<{ now: Date; snapshot: string }>(
			'SELECT now(), pg_export_snapshot() AS snapshot',
		)
		const snapshotAt = snapshotRows[0]!.now.toISOString()
		const joinSnapshot = async () => {
			const client = await connect()
			await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
			await client.query(`SET TRANSACTION SNAPSHOT '${snapshotRows[0]!.snapshot}'`)
			return client
		}
		// People's judgments only unless asked: AI judges' are kept apart.
		const sources = judgmentSources(options.annotators ?? 'human')
		// Both aggregations by item yield one consensus record per item.
		const consensus = options.aggregation !== 'per-judgment'
		const dawidSkeneAggregation = options.aggregation === 'dawid-skene'
		const { rows: projectRows } = await main.query<{ task_type: string }>(
			'SELECT task_type::text FROM projects WHERE id = $1',
			[projectId],
		)
		const comparison = projectRows[0]?.task_type === 'comparison'
		const counts = (async (): Promise<ExportSourceCounts> => {
			const client = await joinSnapshot()
			const { rows } = await client.query<{ items: number; judgments: number; adjudicated: number; units?: number }>(
				comparison ? COMPARISON_COUNTS_SQL : COUNTS_SQL,
				[projectId, sources],
			)
			await client.end()
			const row = rows[0]!
			return {
				records: consensus ? (row.units ?? row.items) : row.judgments,
				items: row.items,
				judgments: row.judgments,
				adjudicatedItems: row.adjudicated,
			}
		})()
		counts.catch(() => {})

		const pseudonyms = new Map<string, string>()
		const key = serverSecretKey()
		const pseudonym = (userId: string) => {
			let name = pseudonyms.get(userId)
			if (name === undefined) {
				name = annotatorPseudonym({ projectId, userId, key })
				pseudonyms.set(userId, name)
			}
			return name
		}

		const goldAccuracy = await readGoldAccuracy({ client: main, projectId, sources, pseudonym })
		const belowBar =
			minGoldAccuracy === undefined
				? []
				: goldAccuracy.filter((entry) => entry.accuracy < minGoldAccuracy).map((entry) => entry.annotator)
		const excludeAnnotators = [...new Set([...options.excludeAnnotators, ...belowBar])].sort()
		const excluded = new Set(excludeAnnotators)
		// Estimated once, before the records: an item's answer depends on every annotator's record.
		const dawidSkene =
			dawidSkeneAggregation || options.minConfidence !== undefined || reliability
				? await estimateDawidSkene({
						client: main,
						projectId,
						sources,
						excluded: (userId) => excluded.has(pseudonym(userId)),
					})
				: null
		const statement = {
			name: `quorum_export_batch${details ? '_details' : ''}${comparison ? '_comparison' : ''}`,
			text: batchSql(details, comparison),
		}
		const fetchBatch = (client: pg.Client, after: string, upTo: string, limit: number) =>
			client
				.query<BatchRow>({ ...statement, values: [projectId, after, upTo, limit, sources], rowMode: 'array' })
				.then(({ rows }) => rows)

		/** The first `limitItems` eligible items, a batch after another on the main connection. */
		async function* limitedBatches(limit: number): AsyncGenerator<BatchRow[]> {
			let after = '-1'
			for (let read = 0; read < limit;) {
				const batch = await fetchBatch(main, after, MAX_SEQ, Math.min(batchItems, limit - read))
				if (batch.length === 0) return
				yield batch
				read += batch.length
				after = batch[batch.length - 1]![0]
			}
		}

		/**
		 * Batches over seq ranges fixed up front, each connection building one while the caller works
		 * through the ones before it. Yielded in order.
		 */
		async function* parallelBatches(): AsyncGenerator<BatchRow[]> {
			const { rows } = await main.query<{ seq: string }>(BOUNDS_SQL, [projectId, batchItems])
			const ranges = [...rows.map((row) => row.seq), MAX_SEQ].map(
				(upTo, index, all) => [index === 0 ? '-1' : all[index - 1]!, upTo] as const,
			)
			const streams = [main]
			while (streams.length < Math.min(BATCH_CONNECTIONS, ranges.length)) streams.push(await joinSnapshot())
			const fetchAt = (index: number) => {
				const [after, upTo] = ranges[index]!
				const pending = fetchBatch(streams[index % streams.length]!, after, upTo, batchItems)
				pending.catch(() => {})
				return pending
			}
			const pending = new Map<number, Promise<BatchRow[]>>()
			for (let index = 0; index < Math.min(streams.length, ranges.length); index++) pending.set(index, fetchAt(index))
			for (let index = 0; index < ranges.length; index++) {
				const batch = await pending.get(index)!
				pending.delete(index)
				// This batch's connection is free again: it starts on the next batch it owns at once.
				if (index + streams.length < ranges.length) pending.set(index + streams.length, fetchAt(index + streams.length))
				if (batch.length > 0) yield batch
			}
		}

		const summary: ExportSource['summary'] = { annotators: 0, agreement: [] }
		let recordsTotal: number | null = null
		void counts.then((known) => (recordsTotal = known.records)).catch(() => {})

		async function* records(): AsyncGenerator<SourceJudgment[]> {
			let itemsRead = 0
			let recordsRead = 0
			const annotators = new Set<string>()
			let agreementSum = 0
			let agreementItems = 0
			let unanimous = 0
			try {
				for await (const batch of limitItems === undefined ? parallelBatches() : limitedBatches(limitItems)) {
					itemsRead += batch.length
					const out: SourceJudgment[] = []

					for (const [seq, item, keys] of batchEntries(batch, comparison)) {
						const [itemId, externalId, storedContext, storedResponses, storedJudgments, adjudication] = item
						const itemResponses: SourceResponse[] = (storedResponses ?? []).map(([id, model, content]) => ({
							id,
							model,
							content,
						}))
						const responseIds = itemResponses.map((response) => response.id)
						const itemJudgments = storedJudgments ?? []
						const context = normalizeContext(storedContext)
						const adjudicated = adjudication !== null
						const firstRecord = out.length
						// The votes behind the item's consensus: its judgments by annotators not excluded.
						const votes: Vote[] = new Array(itemJudgments.length)
						let voteCount = 0

						// Under consensus aggregation: the counted judgments' times, for the item's record.
						const times: string[] = []
						if (consensus) {
							recordsRead++
							for (const judgment of itemJudgments) {
								const [, userId, ranking, bothBad, strength] = judgment
								const annotator = pseudonym(userId)
								if (excluded.has(annotator)) continue
								annotators.add(annotator)
								votes[voteCount++] = { userId, ranking, bothBad, strength }
								if (details) times.push(judgment[12]!, judgment[13]!)
							}
						} else {
							for (const judgment of itemJudgments) {
								recordsRead++
								const annotator = pseudonym(judgment[1])
								const record: SourceJudgment = {
									judgmentId: judgment[0],
									itemId,
									externalId,
									context,
									responses: itemResponses,
									ranking: judgment[2],
									bothBad: judgment[3],
									strength: judgment[4],
									annotator,
									displayOrder: details ? judgment[5]! : NO_DETAILS.displayOrder,
									criteria: details ? criteriaByCriterion(judgment[6]!) : NO_DETAILS.criteria,
									flags: details && judgment[7] && Object.keys(judgment[7]).length > 0 ? judgment[7] : NO_DETAILS.flags,
									rationale: details ? judgment[8]! : NO_DETAILS.rationale,
									activeMs: details ? judgment[9]! : NO_DETAILS.activeMs,
									guidelineVersion: details ? judgment[10]! : NO_DETAILS.guidelineVersion,
									revision: details ? judgment[11]! : NO_DETAILS.revision,
									createdAt: details ? judgment[12]! : NO_DETAILS.createdAt,
									updatedAt: details ? judgment[13]! : NO_DETAILS.updatedAt,
									adjudicated,
									agreement: null,
									confidence: null,
									annotatorReliability: dawidSkene?.reliability(judgment[1]) ?? null,
									...(details ? { source: judgment[14] } : {}),
								}
								out.push(record)
								if (!excluded.has(annotator)) {
									annotators.add(annotator)
									votes[voteCount++] = record
								}
							}
						}
						votes.length = voteCount

						const estimate =
							dawidSkene && voteCount > 0
								? keys
									? dawidSkene.pairEstimate({ seq, keys, pair: responseIds, votes })
									: dawidSkene.itemEstimate({ seq, keys: responseIds, votes })
								: null
						const confidence = dawidSkene && adjudicated ? 1 : (estimate?.confidence ?? null)
						// Under Dawid–Skene aggregation its answer stands in for the majority's, and the
						// agreement is measured against it; an adjudication still wins.
						const decided = adjudication
							? { ranking: adjudication[0], bothBad: adjudication[1], strength: adjudication[2] }
							: dawidSkeneAggregation && estimate
								? { ranking: estimate.ranking, bothBad: estimate.bothBad, strength: estimate.strength }
								: null
						const itemConsensus = consensusFor({ responseIds, votes, adjudication: decided })
						if (itemConsensus.agreement !== null) {
							agreementSum += itemConsensus.agreement
							agreementItems++
							if (itemConsensus.agreement === 1) unanimous++
						}
						for (let index = firstRecord; index < out.length; index++) {
							out[index]!.agreement = itemConsensus.agreement
							out[index]!.confidence = confidence
						}

						if (consensus && (votes.length > 0 || adjudicated)) {
							if (details && adjudication) times.push(adjudication[3])
							// ISO strings in UTC with fixed width compare like the instants they name.
							times.sort()
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
								...NO_DETAILS,
								createdAt: times[0] ?? NO_DETAILS.createdAt,
								updatedAt: times[times.length - 1] ?? NO_DETAILS.updatedAt,
								adjudicated,
								agreement: itemConsensus.agreement,
								confidence,
								annotatorReliability: null,
							})
						}
					}
					yield out
					await afterBatch?.({ recordsRead, recordsTotal, itemsRead })
				}
				// Surfaces a failed count; by now it has long finished.
				await counts
				summary.annotators = annotators.size
				summary.agreement =
					agreementItems > 0
						? [
								{
									metric: 'Mean item agreement (share of votes matching the consensus)',
									value: round(agreementSum / agreementItems),
								},
								{ metric: 'Items where every vote matches the consensus', value: round(unanimous / agreementItems) },
							]
						: []
			} finally {
				await close()
			}
		}

		return { snapshotAt, counts, excludeAnnotators, goldAccuracy, records: records(), summary, close }
	} catch (error) {
		await close()
		throw error
	}
}

function round(value: number) {
	return Math.round(value * 10_000) / 10_000
}

async function readGoldAccuracy({
	client,
	projectId,
	sources,
	pseudonym,
}: {
	client: pg.Client
	projectId: string
	sources: string
	pseudonym: (userId: string) => string
}) {
	const { rows } = await client.query<{ user_id: string; ranking: string[][]; gold: { ranking?: string[][] } | null }>(
		`SELECT j.user_id::text, j.ranking, i.gold FROM judgments j JOIN items i ON i.id = j.item_id
		WHERE i.project_id = $1 AND i.is_gold AND i.gold IS NOT NULL AND ($2 = 'all' OR j.source::text = $2) ORDER BY j.user_id`,
		[projectId, sources],
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
		.map(([userId, entry]) => ({
			annotator: pseudonym(userId),
			accuracy: round(entry.matching / entry.total),
			judgments: entry.judgments,
		}))
		.sort((a, b) => (a.annotator < b.annotator ? -1 : a.annotator > b.annotator ? 1 : 0))
}
