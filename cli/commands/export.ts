import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import type { Command } from 'commander'
import { x as untar } from 'tar'
import type { ExportStatus } from '#app/generated/prisma/enums.ts'
import { apiRequest, clientFromEnv, readProblem, type Client } from '../client.ts'
import { CliError } from '../errors.ts'

type Output = { write: (text: string) => unknown; isTTY?: boolean }

type ExportJob = {
	id: string
	status: ExportStatus
	progress: number
	rows: number
	format: string
	project?: { slug: string }
	files: { path: string; bytes: number; sha256: string }[]
	counts?: { train: number; test: number } | null
	error?: string
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled'])
const LIST_OPTIONS = new Set(['files', 'excludeAnnotators'])
// Option names are plain words: these would reach Object.prototype instead of the options.
const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor'])

/** `key=value` pairs → the options object: dotted keys nest, JSON values parse, lists split on commas. */
export function parseOptionPairs(pairs: string[]) {
	const options: Record<string, unknown> = {}
	for (const pair of pairs) {
		const at = pair.indexOf('=')
		if (at <= 0)
			throw new CliError(
				`--option ${pair}: expected key=value, e.g. --option style=conversational or --option split.test=0.1`,
			)
		const key = pair.slice(0, at).trim()
		const text = pair.slice(at + 1).trim()
		let value: unknown
		if (LIST_OPTIONS.has(key)) value = text === '' ? [] : text.split(',').map((part) => part.trim())
		else {
			try {
				value = JSON.parse(text, (name, parsed: unknown) => {
					if (FORBIDDEN_KEYS.has(name)) throw new CliError(`--option ${pair}: "${name}" is not an option name`)
					return parsed
				})
			} catch (error) {
				if (error instanceof CliError) throw error
				value = text
			}
			// The split seed is a label: keep "v1" and "42" as the user wrote them.
			if (key === 'split.seed') value = text
		}
		const parts = key.split('.')
		const forbidden = parts.find((part) => FORBIDDEN_KEYS.has(part) || part === '')
		if (forbidden !== undefined) throw new CliError(`--option ${pair}: "${forbidden}" is not an option name`)
		let target = options
		for (const part of parts.slice(0, -1)) {
			const next = target[part]
			if (next === undefined) target[part] = {}
			else if (typeof next !== 'object' || next === null || Array.isArray(next))
				throw new CliError(`--option ${pair}: ${part} is not an object`)
			target = target[part] as Record<string, unknown>
		}
		target[parts[parts.length - 1]!] = value
	}
	return options
}

async function failWithProblem(response: Response, what: string): Promise<never> {
	const problem = await readProblem(response)
	const fields = problem.errors?.map((error) => `${error.path}: ${error.message}`).join('; ')
	throw new CliError(`${what}: ${problem.text}${fields ? ` (${fields})` : ''}`)
}

export async function fetchStatus(client: Client, id: string): Promise<ExportJob> {
	const response = await apiRequest(client, `/exports/${encodeURIComponent(id)}`)
	if (!response.ok) await failWithProblem(response, `Cannot read export ${id}`)
	return (await response.json()) as ExportJob
}

function progressLine(status: ExportJob, width = 30) {
	const filled = Math.round(status.progress * width)
	const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`
	const what =
		status.status === 'queued'
			? 'queued, waiting for a worker'
			: `${Math.round(status.progress * 100)}% · ${status.rows.toLocaleString('en-US')} rows`
	return `Export ${status.id.slice(0, 8)} [${bar}] ${what}`
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until the export finishes, drawing progress on stderr (in place on a terminal). */
export async function waitForExport({
	client,
	id,
	stderr = process.stderr,
	intervalMs = 1000,
}: {
	client: Client
	id: string
	stderr?: Output
	intervalMs?: number
}) {
	let lastLine = ''
	let lastTenth = -1
	let lastStatus = ''
	for (;;) {
		const status = await fetchStatus(client, id)
		const line = progressLine(status)
		if (stderr.isTTY) {
			if (line !== lastLine) stderr.write(`\r${line}`)
		} else {
			const tenth = Math.floor(status.progress * 10)
			if (tenth !== lastTenth || status.status !== lastStatus) stderr.write(`${line}\n`)
			lastTenth = tenth
		}
		lastLine = line
		lastStatus = status.status
		if (FINAL.has(status.status)) {
			if (stderr.isTTY) stderr.write('\n')
			if (status.status === 'failed') throw new CliError(`Export ${id} failed: ${status.error ?? 'no reason given'}`)
			if (status.status === 'cancelled') throw new CliError(`Export ${id} was cancelled`)
			return status
		}
		await sleep(intervalMs)
	}
}

async function sha256File(file: string) {
	const hash = createHash('sha256')
	let bytes = 0
	for await (const chunk of createReadStream(file)) {
		hash.update(chunk as Buffer)
		bytes += (chunk as Buffer).length
	}
	return { sha256: hash.digest('hex'), bytes }
}

/** Checks every file the manifest lists against its size and SHA-256. */
export async function verifyDataset(dir: string) {
	const text = await readFile(path.join(dir, 'manifest.json'), 'utf8').catch(() => null)
	if (text === null) throw new CliError(`The archive has no manifest.json; ${dir} is not a Quorum dataset`)
	let manifest: { files?: { path: string; bytes: number; sha256: string }[] }
	try {
		manifest = JSON.parse(text) as typeof manifest
	} catch {
		throw new CliError('manifest.json is not valid JSON')
	}
	if (!Array.isArray(manifest.files) || manifest.files.length === 0) throw new CliError('manifest.json lists no files')
	for (const file of manifest.files) {
		const absolute = path.resolve(dir, file.path)
		if (!absolute.startsWith(path.resolve(dir) + path.sep))
			throw new CliError(`manifest.json names a file outside the dataset: ${file.path}`)
		const actual = await sha256File(absolute).catch(() => null)
		if (!actual) throw new CliError(`Checksum verification failed: ${file.path} is missing from the archive`)
		if (actual.bytes !== file.bytes || actual.sha256 !== file.sha256) {
			throw new CliError(
				`Checksum verification failed for ${file.path}: expected sha256 ${file.sha256} (${file.bytes} bytes), got ${actual.sha256} (${actual.bytes} bytes)`,
			)
		}
	}
	return manifest.files.length
}

async function assertUsableOut(out: string) {
	const info = await stat(out).catch(() => null)
	if (!info) return
	if (!info.isDirectory()) throw new CliError(`--out ${out} exists and is not a directory`)
	if ((await readdir(out)).length > 0) throw new CliError(`--out ${out} is not empty; choose a new or empty directory`)
}

/**
 * Downloads the archive, unpacks it next to DIR, verifies every checksum, and only then moves it
 * into place: DIR appears complete and verified, or not at all.
 */
export async function downloadExport({
	client,
	id,
	out,
	stderr = process.stderr,
}: {
	client: Client
	id: string
	out: string
	stderr?: Output
}) {
	const target = path.resolve(out)
	await assertUsableOut(target)
	const response = await apiRequest(client, `/exports/${encodeURIComponent(id)}/download`, {
		headers: { Accept: 'application/gzip' },
	})
	if (!response.ok) await failWithProblem(response, `Cannot download export ${id}`)
	if (!response.body) throw new CliError(`The server sent an empty download for export ${id}`)
	const staging = `${target}.partial-${process.pid}`
	await rm(staging, { recursive: true, force: true })
	await mkdir(staging, { recursive: true })
	try {
		try {
			await pipeline(
				Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
				untar({ cwd: staging, strip: 1, strict: true }),
			)
		} catch (error) {
			throw new CliError(
				`The download of export ${id} is not a valid .tar.gz (${error instanceof Error ? error.message : String(error)})`,
			)
		}
		const files = await verifyDataset(staging)
		await mkdir(path.dirname(target), { recursive: true })
		await rmdir(target).catch(() => {})
		await rename(staging, target)
		stderr.write(`Downloaded export ${id} into ${out}: ${files} files, every SHA-256 verified.\n`)
		return { files }
	} catch (error) {
		await rm(staging, { recursive: true, force: true })
		throw error
	}
}

export async function runExport({
	client,
	project,
	format,
	options,
	out,
	wait,
	stdout = process.stdout,
	stderr = process.stderr,
	intervalMs,
}: {
	client: Client
	project: string
	format: string
	options: Record<string, unknown>
	out?: string
	wait?: boolean
	stdout?: Output
	stderr?: Output
	intervalMs?: number
}) {
	if (out) await assertUsableOut(path.resolve(out))
	const response = await apiRequest(client, `/projects/${encodeURIComponent(project)}/exports`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ format, options }),
	})
	if (response.status !== 202) await failWithProblem(response, 'The export was refused')
	const created = (await response.json()) as ExportJob
	if (!wait && !out) {
		stdout.write(`${created.id}\n`)
		stderr.write(
			`Export ${created.id} queued. Follow it with \`quorum status ${created.id}\`; fetch it with \`quorum download ${created.id} --out DIR\`.\n`,
		)
		return created
	}
	const finished = await waitForExport({ client, id: created.id, stderr, intervalMs })
	if (out) await downloadExport({ client, id: created.id, out, stderr })
	stdout.write(`${created.id}\n`)
	return finished
}

const collect = (value: string, previous: string[] = []) => [...previous, value]

export function registerExportCommands(program: Command) {
	program
		.command('export')
		.description(
			'Export a project as a dataset (client command: QUORUM_URL, QUORUM_TOKEN). Prints the export id on stdout; progress goes to stderr.',
		)
		.requiredOption('--project <slug>', 'the project to export')
		.requiredOption('--format <format>', 'trl-preference, trl-kto, openai-dpo, hh, sft, arena or raw')
		.option(
			'--option <key=value>',
			'an export option; repeat for several, e.g. --option style=conversational --option split.test=0.1 --option files=parquet,jsonl, or --option aggregation=dawid-skene --option minConfidence=0.9',
			collect,
			[],
		)
		.option(
			'--annotators <who>',
			"whose judgments: human (people's, the default), ai (AI judges' only) or all; the same as --option annotators=…",
		)
		.option('--out <dir>', 'wait for the export, then download, unpack and verify it into this new or empty directory')
		.option('--wait', 'wait until the export finishes (implied by --out)')
		.action(
			async (options: {
				project: string
				format: string
				option: string[]
				annotators?: string
				out?: string
				wait?: boolean
			}) => {
				await runExport({
					client: clientFromEnv(),
					project: options.project,
					format: options.format,
					options: {
						...parseOptionPairs(options.option),
						...(options.annotators === undefined ? {} : { annotators: options.annotators }),
					},
					out: options.out,
					wait: options.wait,
				})
			},
		)

	program
		.command('download')
		.description('Download a finished export, unpack it into DIR and verify every SHA-256 (client command)')
		.argument('<id>', 'the export id')
		.requiredOption('--out <dir>', 'a new or empty directory')
		.action(async (id: string, options: { out: string }) => {
			const client = clientFromEnv()
			const status = await fetchStatus(client, id)
			if (status.status !== 'succeeded')
				throw new CliError(
					`Export ${id} is ${status.status}${status.error ? `: ${status.error}` : ''}; only a succeeded export can be downloaded`,
				)
			await downloadExport({ client, id, out: options.out })
		})

	program
		.command('status')
		.description("Show an export's status, progress and files (client command)")
		.argument('<id>', 'the export id')
		.option('--json', 'print the full status as JSON')
		.action(async (id: string, options: { json?: boolean }) => {
			const status = await fetchStatus(clientFromEnv(), id)
			if (options.json) {
				process.stdout.write(`${JSON.stringify(status, null, 2)}\n`)
				return
			}
			const lines = [
				`${status.id}  ${status.format}  ${status.status}  ${Math.round(status.progress * 100)}%  ${status.rows.toLocaleString('en-US')} rows`,
			]
			if (status.counts) lines.push(`  train ${status.counts.train}, test ${status.counts.test}`)
			for (const file of status.files) lines.push(`  ${file.path}  ${file.bytes} bytes  sha256 ${file.sha256}`)
			if (status.error) lines.push(`  error: ${status.error}`)
			process.stdout.write(`${lines.join('\n')}\n`)
		})
}
