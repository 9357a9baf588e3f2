// A deterministic generator of large Quorum projects, written as set-based SQL over
// generate_series so that a million work units take seconds. Every id, text, choice and timestamp
// is a function of the seed and the row number: the same arguments give the same database.
//
// A project has `items` pairwise items with two responses each from a pool of models, `annotators`
// members, and `overlap` judgment slots per item (a slot is one unit of work). Completion fills
// slots the way the claim engine hands them out: items in import order, with a frontier of
// partly judged items `frontier` items wide. Each judged slot has a submitted lease and a
// judgment; items with all their slots judged are closed.
//
// Run on its own: `tsx bench/generate.ts --items 333334 --completion 0.9` (against DATABASE_URL).
import { pathToFileURL } from 'node:url'
import { Command } from 'commander'
import pg from 'pg'
import type { ProjectStatus } from '#app/generated/prisma/enums.ts'
import { seconds } from './util/stats.ts'

export type ProjectFixture = {
	seed: string
	slug: string
	projectId: string
	items: number
	overlap: number
	annotators: number
	models: number
	frontier: number
	/** Slots judged so far, in [0, items * overlap]. */
	judgedUnits: number
	/** Item g (1-based) has seq seqBase + g. */
	seqBase: number
}

export type FixtureOptions = {
	seed: string
	items: number
	overlap?: number
	annotators?: number
	models?: number
	/** Width, in items, of the band of partly judged items at the edge of the finished work. */
	frontier?: number
	status?: Extract<ProjectStatus, 'active' | 'draft'>
}

/** Slot boundaries: slot s of item g (1-based) is judged iff g <= bounds[s]. */
export function slotBounds(
	{ items, overlap, frontier }: Pick<ProjectFixture, 'items' | 'overlap' | 'frontier'>,
	units: number,
) {
	const boundsFor = (lead: number) =>
		Array.from({ length: overlap }, (_, s) => Math.max(0, Math.min(items, lead - s * frontier)))
	const total = (lead: number) => boundsFor(lead).reduce((sum, bound) => sum + bound, 0)
	let low = 0
	let high = items + (overlap - 1) * frontier
	while (low < high) {
		const mid = Math.floor((low + high) / 2)
		if (total(mid) < units) low = mid + 1
		else high = mid
	}
	// `low` is the smallest lead reaching `units`; trim the leading slot so the total is exact.
	const bounds = boundsFor(low)
	let excess = total(low) - units
	for (let s = 0; s < overlap && excess > 0; s++) {
		const floor = s + 1 < overlap ? bounds[s + 1]! : 0
		const take = Math.min(excess, bounds[s]! - floor)
		bounds[s] = bounds[s]! - take
		excess -= take
	}
	return bounds
}

/** A 32-bit number from the seed, used as the salt of every hash. */
function seedNumber(seed: string) {
	let h = 2166136261
	for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0
	return h & 0x3fffffff
}

// Ids look random (a hash up front, so index inserts land all over, as gen_random_uuid()'s do)
// and are unique (the row number at the back). Kinds keep ids of different tables apart.
const KIND = { user: 1, project: 2, item: 3, response: 4, lease: 5, judgment: 6 } as const
const idExpr = (kind: keyof typeof KIND, numberExpr: string) =>
	`encode(int8send(hashint8extended((${numberExpr})::bigint, $1::bigint * 8 + ${KIND[kind]})) || int8send((${numberExpr})::bigint), 'hex')::uuid`
/** A non-negative pseudo-random integer from a row number, differing by salt. */
const hashExpr = (valueExpr: string, salt: number) =>
	`abs(hashint8extended((${valueExpr})::bigint, $1::bigint * 64 + ${salt}))`

/** The generated users' ids, 1-based annotator n at index n - 1. */
export async function annotatorIds(client: pg.ClientBase, fixture: Pick<ProjectFixture, 'seed' | 'annotators'>) {
	const { rows } = await client.query<{ id: string }>(
		`SELECT ${idExpr('user', 'n')}::text AS id FROM generate_series(1, $2::int) n ORDER BY n`,
		[seedNumber(fixture.seed), fixture.annotators],
	)
	return rows.map((row) => row.id)
}

/** Bulk loads skip foreign-key triggers when allowed (the rows are consistent by construction). */
async function fastLoad(client: pg.ClientBase) {
	await client.query('SET synchronous_commit = off')
	await client.query("SET work_mem = '128MB'")
	await client.query('SET session_replication_role = replica').catch(() => {})
}

async function normalLoad(client: pg.ClientBase) {
	await client.query('RESET session_replication_role').catch(() => {})
	await client.query('RESET work_mem')
	await client.query('RESET synchronous_commit')
}

type SavedIndexes = {
	constraints: { table: string; name: string; definition: string; kind: 'p' | 'f' }[]
	indexes: { name: string; definition: string }[]
}

/**
 * Large loads run faster with the tables' indexes and foreign keys dropped and rebuilt afterwards
 * (one sort per index instead of a random insert per row). The definitions come from the catalog,
 * so the rebuilt schema is the migrated one.
 */
async function dropIndexes(client: pg.ClientBase, tables: string[]): Promise<SavedIndexes> {
	const { rows: constraints } = await client.query<SavedIndexes['constraints'][number]>(
		`SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition, contype AS kind
		FROM pg_constraint
		WHERE (contype = 'p' AND conrelid = ANY($1::regclass[])) OR (contype = 'f' AND (conrelid = ANY($1::regclass[]) OR confrelid = ANY($1::regclass[])))
		ORDER BY contype`,
		[tables],
	)
	const { rows: indexes } = await client.query<SavedIndexes['indexes'][number]>(
		`SELECT c.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
		FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
		WHERE x.indrelid = ANY($1::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype = 'p')`,
		[tables],
	)
	for (const constraint of constraints)
		await client.query(`ALTER TABLE ${constraint.table} DROP CONSTRAINT ${quote(constraint.name)}`)
	for (const index of indexes) await client.query(`DROP INDEX ${quote(index.name)}`)
	return { constraints, indexes }
}

async function restoreIndexes(client: pg.ClientBase, saved: SavedIndexes) {
	await client.query(`SET maintenance_work_mem = '256MB'`)
	for (const constraint of saved.constraints.filter((c) => c.kind === 'p')) {
		await client.query(
			`ALTER TABLE ${constraint.table} ADD CONSTRAINT ${quote(constraint.name)} ${constraint.definition}`,
		)
	}
	for (const index of saved.indexes) await client.query(index.definition)
	for (const constraint of saved.constraints.filter((c) => c.kind === 'f')) {
		await client.query(
			`ALTER TABLE ${constraint.table} ADD CONSTRAINT ${quote(constraint.name)} ${constraint.definition}`,
		)
	}
	await client.query('RESET maintenance_work_mem')
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`

/** Runs a load in one transaction; with `rebuild` the tables' indexes are dropped first and rebuilt at the end. */
async function load<T>(
	client: pg.ClientBase,
	{ tables, rebuild }: { tables: string[]; rebuild: boolean },
	run: () => Promise<T>,
) {
	await fastLoad(client)
	try {
		await client.query('BEGIN')
		const saved = rebuild ? await dropIndexes(client, tables) : null
		const result = await run()
		if (saved) await restoreIndexes(client, saved)
		await client.query('COMMIT')
		return result
	} catch (error) {
		await client.query('ROLLBACK').catch(() => {})
		throw error
	} finally {
		await normalLoad(client)
	}
}

/** Whether adding `adding` rows to `table` is cheaper with its indexes rebuilt than maintained. */
async function worthRebuilding(client: pg.ClientBase, table: string, adding: number) {
	const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)
	return adding >= Number(rows[0]!.n) / 2
}

const EPOCH = '2026-01-01T00:00:00Z'

/** Users, a project with members and guidelines, and its items with responses; nothing judged yet. */
export async function createFixture(client: pg.ClientBase, options: FixtureOptions): Promise<ProjectFixture> {
	const annotators = options.annotators ?? 100
	const fixture: ProjectFixture = {
		seed: options.seed,
		slug: `bench-${options.seed}`,
		projectId: '',
		items: options.items,
		overlap: options.overlap ?? 3,
		annotators,
		models: options.models ?? 8,
		frontier: options.frontier ?? Math.max(1, 2 * annotators),
		judgedUnits: 0,
		seqBase: 0,
	}
	if (fixture.annotators < fixture.overlap)
		throw new Error('a project needs at least as many annotators as its overlap')
	const salt = seedNumber(fixture.seed)
	const rebuild = await worthRebuilding(client, 'items', fixture.items)
	await load(client, { tables: ['items', 'responses'], rebuild }, async () => {
		await client.query(
			`INSERT INTO users (id, email, display_name, roles, created_at, updated_at)
			SELECT ${idExpr('user', 'n')}, $2 || '-annotator-' || n || '@bench.quorum.test', 'Annotator ' || n, '{annotator}', $3, $3
			FROM generate_series(1, $4::int) n`,
			[salt, fixture.seed, EPOCH, fixture.annotators],
		)
		const { rows } = await client.query<{ id: string }>(
			`INSERT INTO projects (id, slug, name, description, task_type, overlap, status, created_at, updated_at)
			VALUES (${idExpr('project', '0')}, $2, $3, 'Generated for benchmarks', 'pairwise', $4, $5, $6, $6) RETURNING id::text`,
			[salt, fixture.slug, `Bench ${fixture.seed}`, fixture.overlap, options.status ?? 'active', EPOCH],
		)
		fixture.projectId = rows[0]!.id
		await client.query(
			`INSERT INTO guideline_versions (project_id, version, content) VALUES ($1, 1, 'Prefer the more helpful, honest answer.')`,
			[fixture.projectId],
		)
		await client.query(
			`INSERT INTO project_members (project_id, user_id, role) SELECT $2::uuid, ${idExpr('user', 'n')}, 'annotator' FROM generate_series(1, $3::int) n`,
			[salt, fixture.projectId, fixture.annotators],
		)
		const { rows: seqRows } = await client.query<{ base: string }>(
			`SELECT coalesce(max(seq), 0)::text AS base FROM items`,
		)
		fixture.seqBase = Number(seqRows[0]!.base)
		await client.query(
			`INSERT INTO items (id, seq, project_id, external_id, context, content_hash, created_at, updated_at)
			SELECT ${idExpr('item', 'g')}, $2::bigint + g, $3::uuid, 'item-' || g,
				jsonb_build_object('prompt', 'Prompt ' || g || ': explain '
					|| (ARRAY['recursion', 'photosynthesis', 'inflation', 'TCP congestion control', 'the French Revolution', 'gradient descent'])[1 + ${hashExpr('g', 1)} % 6]
					|| ' to a ' || (ARRAY['child', 'student', 'expert', 'manager'])[1 + ${hashExpr('g', 2)} % 4] || '.'),
				to_hex(${hashExpr('g', 3)}), $4, $4
			FROM generate_series(1, $5::int) g`,
			[salt, fixture.seqBase, fixture.projectId, EPOCH, fixture.items],
		)
		await client.query(`SELECT setval(pg_get_serial_sequence('items', 'seq'), (SELECT max(seq) FROM items))`)
		// Two responses per item from two different models; lengths vary from about 150 to 900 characters.
		await client.query(
			`INSERT INTO responses (id, item_id, key, position, model, content)
			SELECT ${idExpr('response', 'i.g * 2 + k')}, i.id, 'r' || k, k - 1,
				'model-' || CASE WHEN k = 1 THEN ${hashExpr('i.g', 4)} % $3::int ELSE (${hashExpr('i.g', 4)} % $3::int + 1 + ${hashExpr('i.g', 5)} % ($3::int - 1)) % $3::int END,
				'Answer ' || k || ' to item ' || i.g || '. ' || repeat('Here is a careful explanation with an example and a caveat. ', (2 + ${hashExpr('i.g * 2 + k', 6)} % 14)::int)
			FROM (SELECT id, seq - $4::bigint AS g FROM items WHERE project_id = $2::uuid) i, generate_series(1, 2) k`,
			[salt, fixture.projectId, fixture.models, fixture.seqBase],
		)
	})
	return fixture
}

/**
 * Judges slots until `fraction` of all slots are judged (never goes back). Votes follow an item's
 * hidden preferred response 75% of the time, oppose it 10%, tie 10% and call both bad 5%, so
 * agreement statistics and the leaderboard have signal.
 */
export async function advanceTo(client: pg.ClientBase, fixture: ProjectFixture, fraction: number) {
	const target = Math.round(Math.max(0, Math.min(1, fraction)) * fixture.items * fixture.overlap)
	if (target <= fixture.judgedUnits) return { added: 0 }
	const before = slotBounds(fixture, fixture.judgedUnits)
	const after = slotBounds(fixture, target)
	const salt = seedNumber(fixture.seed)
	const users = await annotatorIds(client, fixture)
	const rebuild = await worthRebuilding(client, 'judgments', target - fixture.judgedUnits)
	await load(client, { tables: ['leases', 'judgments'], rebuild }, async () => {
		for (let s = 0; s < fixture.overlap; s++) {
			const from = before[s]! + 1
			const to = after[s]!
			if (to < from) continue
			// Slot s of item g is the (g * overlap + s)-th unit handed out, one second after the previous one.
			await client.query(
				`WITH src AS MATERIALIZED (
					SELECT i.id AS item_id, u.unit, ($8::uuid[])[u.unit % $7::int + 1] AS user_id, ${idExpr('lease', 'u.unit')} AS lease_id,
						${idExpr('judgment', 'u.unit')} AS judgment_id, $9::timestamptz + make_interval(secs => u.unit) AS at,
						CASE WHEN ${hashExpr('i.g', 7)} % 2 = 0 THEN '{r2,r1}'::text[] ELSE '{r1,r2}'::text[] END AS display_order,
						${hashExpr('u.unit', 8)} % 100 AS vote, ${hashExpr('i.g', 9)} % 100 < 60 AS truth_r1
					FROM (SELECT id, seq - $3::bigint AS g FROM items WHERE project_id = $2::uuid AND seq BETWEEN $3::bigint + $4::int AND $3::bigint + $5::int) i,
						LATERAL (SELECT i.g * $6::int + $10::int AS unit) u
				), leased AS (
					INSERT INTO leases (id, project_id, item_id, user_id, state, display_order, created_at, expires_at, closed_at)
					SELECT lease_id, $2::uuid, item_id, user_id, 'submitted', display_order, at, at + interval '15 minutes', at + interval '40 seconds' FROM src
				)
				INSERT INTO judgments (id, project_id, item_id, user_id, lease_id, idempotency_key, display_order, ranking, both_bad, strength,
					active_ms, guideline_version, created_at, updated_at)
				SELECT judgment_id, $2::uuid, item_id, user_id, lease_id, 'gen-' || unit, display_order,
					CASE WHEN vote >= 85 THEN '[["r1","r2"]]'::jsonb WHEN (vote < 75) = truth_r1 THEN '[["r1"],["r2"]]'::jsonb ELSE '[["r2"],["r1"]]'::jsonb END,
					vote >= 95, CASE WHEN vote < 85 THEN ${hashExpr('unit', 10)} % 4 END, (20000 + ${hashExpr('unit', 11)} % 40000)::int, 1,
					at + interval '40 seconds', at + interval '40 seconds'
				FROM src`,
				[salt, fixture.projectId, fixture.seqBase, from, to, fixture.overlap, fixture.annotators, users, EPOCH, s],
			)
		}
		// Judgment counts and open flags of every item whose slots changed.
		const low = Math.min(...before.map((bound, s) => Math.min(bound, after[s]!))) + 1
		const high = Math.max(...after)
		await client.query(
			`UPDATE items i SET judgment_count = c.n, is_open = c.n < $4::int,
				completed_at = CASE WHEN c.n >= $4::int THEN $5::timestamptz + make_interval(secs => ((i.seq - $6::bigint) * $4::int + $4::int)) END
			FROM (SELECT g, (SELECT count(*)::int FROM unnest($3::int[]) b WHERE g <= b) AS n FROM generate_series($1::int, $2::int) g) c
			WHERE i.project_id = $7::uuid AND i.seq BETWEEN $6::bigint + $1::int AND $6::bigint + $2::int AND i.seq = $6::bigint + c.g AND i.judgment_count <> c.n`,
			[low, high, after, fixture.overlap, EPOCH, fixture.seqBase, fixture.projectId],
		)
	})
	const added = target - fixture.judgedUnits
	fixture.judgedUnits = target
	return { added }
}

/** Fresh statistics and visibility map, as autovacuum would leave them on a live server. */
export async function settle(client: pg.ClientBase) {
	await client.query('VACUUM (ANALYZE) items, responses, leases, judgments, users, project_members, projects')
}

async function main() {
	const program = new Command()
		.name('bench-generate')
		.description('Generate a large project into DATABASE_URL (a database that is already migrated).')
		.option('--seed <seed>', 'seed (also names the project: bench-<seed>)', 'gen')
		.option('--items <n>', 'items', (value) => Number(value), 333_334)
		.option('--annotators <n>', 'annotators', (value) => Number(value), 100)
		.option('--completion <fraction>', 'fraction of work units judged', (value) => Number(value), 0)
		.parse()
	const options = program.opts<{ seed: string; items: number; annotators: number; completion: number }>()
	const connectionString = process.env.DATABASE_URL
	if (!connectionString) throw new Error('Set DATABASE_URL to a migrated database')
	const client = new pg.Client({ connectionString })
	await client.connect()
	try {
		let started = process.hrtime.bigint()
		const fixture = await createFixture(client, {
			seed: options.seed,
			items: options.items,
			annotators: options.annotators,
		})
		process.stdout.write(`items and responses: ${seconds(started).toFixed(1)}s\n`)
		started = process.hrtime.bigint()
		const { added } = await advanceTo(client, fixture, options.completion)
		process.stdout.write(`${added} judgments: ${seconds(started).toFixed(1)}s\n`)
		started = process.hrtime.bigint()
		await settle(client)
		process.stdout.write(`vacuum analyze: ${seconds(started).toFixed(1)}s\n`)
	} finally {
		await client.end()
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
