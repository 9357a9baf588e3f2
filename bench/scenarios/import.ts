// A JSONL file of pairwise items through `POST /api/v1/projects/{slug}/items`, against psql's
// \copy of the same rows (items and their responses, with ids and content hashes precomputed)
// into the same tables. Each run imports into a fresh project, so every line is an insert.
import { randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { once } from 'node:events'
import pg from 'pg'
import { canonicalJson, sha256Hex } from '#app/modules/imports/parse/canonical-json.ts'
import { createAdmin } from '../util/auth.ts'
import { HttpClient } from '../util/http.ts'
import { progress } from '../util/log.ts'
import { run } from '../util/proc.ts'
import { startAppServer } from '../util/server.ts'
import { median, round } from '../util/stats.ts'
import { SkipScenario, type Scenario } from './types.ts'

const TOPICS = [
	'recursion',
	'photosynthesis',
	'inflation',
	'TCP congestion control',
	'the French Revolution',
	'gradient descent',
]

function line(n: number) {
	const sentence = 'Here is a careful explanation with an example and a caveat. '
	return {
		id: `item-${n}`,
		prompt: `Prompt ${n}: explain ${TOPICS[n % TOPICS.length]} to a student.`,
		responses: [1, 2].map((k) => ({
			id: `r${k}`,
			model: `model-${(n * 7 + k * 3) % 8}`,
			content: `Answer ${k} to item ${n}. ${sentence.repeat(2 + ((n * 31 + k * 17) % 14))}`,
		})),
	}
}

async function writeLines(file: string, lines: Iterable<string>) {
	const out = createWriteStream(file)
	for (const text of lines) if (!out.write(text)) await once(out, 'drain')
	out.end()
	await once(out, 'finish')
}

function csv(value: string | number | null) {
	if (value === null) return ''
	const text = String(value)
	return /[",\n\r]/.test(text) || text === '' ? `"${text.replaceAll('"', '""')}"` : text
}

/** The same rows the import writes, as CSV for \copy: items and responses with their ids assigned. */
async function writeCopyFiles(dir: string, count: number, projectId: string) {
	const itemsFile = path.join(dir, `items-${projectId}.csv`)
	const responsesFile = path.join(dir, `responses-${projectId}.csv`)
	const items: string[] = []
	const responses: string[] = []
	for (let n = 1; n <= count; n++) {
		const source = line(n)
		const itemId = randomUUID()
		const context = { prompt: source.prompt }
		const canonicalResponses = source.responses.map((r) => ({
			id: r.id,
			model: r.model,
			content: r.content,
			metadata: null,
		}))
		const hash = sha256Hex(canonicalJson({ context, responses: canonicalResponses, metadata: null, gold: null }))
		items.push(`${[itemId, projectId, source.id, JSON.stringify(context), hash].map(csv).join(',')}\n`)
		source.responses.forEach((r, position) =>
			responses.push(`${[randomUUID(), itemId, r.id, position, r.model, r.content].map(csv).join(',')}\n`),
		)
	}
	await writeLines(itemsFile, items)
	await writeLines(responsesFile, responses)
	return { itemsFile, responsesFile }
}

async function createProject(db: pg.Client, slug: string) {
	const { rows } = await db.query<{ id: string }>(
		`INSERT INTO projects (slug, name, task_type, status, updated_at) VALUES ($1, $1, 'pairwise', 'active', now()) RETURNING id::text`,
		[slug],
	)
	return rows[0]!.id
}

export const importScenario: Scenario = {
	name: 'import',
	description: 'JSONL items through the import API vs psql \\copy of the same rows',
	async run(context) {
		if (
			!existsSync(path.resolve('app/modules/imports/import-file.server.ts')) ||
			!existsSync(path.resolve('app/routes/api/project-items.ts'))
		) {
			throw new SkipScenario('the import module or POST /api/v1/projects/{slug}/items is not there yet')
		}
		const count = context.quick ? 5_000 : 100_000
		const databaseUrl = await context.postgres.createDatabase('import')
		const dir = await mkdtemp(path.join(tmpdir(), 'quorum-bench-import-'))
		const db = new pg.Client({ connectionString: databaseUrl })
		db.on('error', () => {})
		await db.connect()
		try {
			const jsonl = path.join(dir, 'items.jsonl')
			await writeLines(
				jsonl,
				(function* () {
					for (let n = 1; n <= count; n++) yield `${JSON.stringify(line(n))}\n`
				})(),
			)
			const bytes = (await stat(jsonl)).size
			const admin = await createAdmin(db, 'import')
			const server = await startAppServer({ databaseUrl })
			const client = new HttpClient(server.url, 1)
			// Warm up: the first import pays for JIT and for loading the import modules.
			await createProject(db, 'import-warmup')
			const warmup = await client.request({
				method: 'POST',
				path: '/api/v1/projects/import-warmup/items?filename=items.jsonl',
				headers: { Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/jsonl' },
				body: Array.from({ length: 500 }, (_, n) => JSON.stringify(line(n + 1))).join('\n'),
			})
			if (warmup.status !== 200)
				throw new Error(`the warm-up import answered ${warmup.status}: ${warmup.body.slice(0, 500)}`)
			const rssBeforeMb = server.rssMb()
			const app: number[] = []
			const copy: number[] = []
			let peak: number | null = null
			try {
				for (let runIndex = 0; runIndex < context.runs; runIndex++) {
					const slug = `import-${runIndex}`
					await createProject(db, slug)
					const response = await client.request({
						method: 'POST',
						path: `/api/v1/projects/${slug}/items?filename=items.jsonl`,
						headers: {
							Authorization: `Bearer ${admin.token}`,
							'Content-Type': 'application/jsonl',
							'Content-Length': String(bytes),
						},
						body: createReadStream(jsonl),
						timeoutMs: 30 * 60_000,
					})
					if (response.status !== 200)
						throw new Error(`the import answered ${response.status}: ${response.body.slice(0, 500)}`)
					const report = JSON.parse(response.body) as { imported: number }
					if (report.imported !== count)
						throw new Error(`the import reported ${report.imported} items, expected ${count}`)
					app.push(count / (response.ms / 1000))

					const projectId = await createProject(db, `copy-${runIndex}`)
					const files = await writeCopyFiles(dir, count, projectId)
					const copied = await run(
						'psql',
						[
							'-X',
							'-q',
							'-v',
							'ON_ERROR_STOP=1',
							databaseUrl,
							'-c',
							`\\copy items (id, project_id, external_id, context, content_hash) FROM '${files.itemsFile}' WITH (FORMAT csv)`,
							'-c',
							`\\copy responses (id, item_id, key, position, model, content) FROM '${files.responsesFile}' WITH (FORMAT csv)`,
						],
						{ timeoutMs: 30 * 60_000 },
					)
					if (copied.code !== 0) throw new Error(`psql \\copy failed: ${copied.stderr.slice(0, 500)}`)
					copy.push(count / (copied.ms / 1000))
					progress(
						`import run ${runIndex + 1}/${context.runs}: API ${app.at(-1)!.toFixed(0)} items/s, \\copy ${copy.at(-1)!.toFixed(0)} rows/s`,
					)
				}
			} finally {
				client.close()
				peak = server.peakRssMb()
				await server.stop()
			}
			const appItemsPerSec = median(app)
			const copyRowsPerSec = median(copy)
			return {
				ratio: round(appItemsPerSec / copyRowsPerSec),
				peakRssMb: peak,
				appItemsPerSec: round(appItemsPerSec),
				copyRowsPerSec: round(copyRowsPerSec),
				items: count,
				fileMb: round(bytes / 2 ** 20),
				serverRssBeforeMb: rssBeforeMb,
				runs: app.map((value, index) => ({ app: round(value), copy: round(copy[index]!) })),
			}
		} finally {
			await db.end().catch(() => {})
			await rm(dir, { recursive: true, force: true })
			await context.postgres.dropDatabase(databaseUrl).catch(() => {})
		}
	},
}
