import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable, Transform } from 'node:stream'
import type { Command } from 'commander'
import { apiRequest, clientFromEnv, readProblem, type Client } from '../client.ts'
import { CliError } from '../errors.ts'

const CONTENT_TYPES: Record<string, string> = {
	jsonl: 'application/x-ndjson',
	ndjson: 'application/x-ndjson',
	csv: 'text/csv',
	parquet: 'application/vnd.apache.parquet',
	pq: 'application/vnd.apache.parquet',
}

type ImportError = { line: number; path: string; message: string }
type Report = {
	imported: number
	updated: number
	unchanged: number
	errors: ImportError[]
	errorCount: number
	invalidLines?: number
	detail?: string
}

type Output = { write: (text: string) => unknown; isTTY?: boolean }

const size = (bytes: number) =>
	bytes >= 1_073_741_824
		? `${(bytes / 1_073_741_824).toFixed(2)} GB`
		: bytes >= 1_048_576
			? `${(bytes / 1_048_576).toFixed(1)} MB`
			: `${Math.ceil(bytes / 1024)} KB`

const formatError = (error: ImportError) =>
	`  ${error.line === 0 ? 'file' : `line ${error.line}`}${error.path ? `, ${error.path}` : ''}: ${error.message}`

function listErrors(report: Report, out: Output) {
	for (const error of report.errors) out.write(`${formatError(error)}\n`)
	if (report.errorCount > report.errors.length)
		out.write(`  … and ${report.errorCount - report.errors.length} more errors\n`)
}

/** Upload progress on stderr: redrawn in place on a terminal, every 10% otherwise. */
function progressReporter({ total, name, stderr }: { total: number; name: string; stderr: Output }) {
	let lastShown = -1
	return (sent: number) => {
		const percent = total === 0 ? 100 : Math.floor((sent / total) * 100)
		if (stderr.isTTY) {
			if (percent === lastShown) return
			stderr.write(`\rUploading ${name}: ${percent}% (${size(sent)} of ${size(total)})`)
			if (percent === 100) stderr.write('\n')
		} else if (percent >= lastShown + 10 || (percent === 100 && lastShown !== 100)) {
			stderr.write(`Uploading ${name}: ${percent}% (${size(sent)} of ${size(total)})\n`)
		} else return
		lastShown = percent
	}
}

/**
 * Streams FILE to POST /api/v1/projects/{slug}/items, typed by its extension, and prints the
 * report. A refused file lists its bad lines on stderr and fails with exit code 1.
 */
export async function runImport({
	file,
	project,
	skipInvalid = false,
	json = false,
	client,
	stdout = process.stdout,
	stderr = process.stderr,
}: {
	file: string
	project: string
	skipInvalid?: boolean
	json?: boolean
	client: Client
	stdout?: Output
	stderr?: Output
}): Promise<Report> {
	const extension = path.extname(file).slice(1).toLowerCase()
	const contentType = CONTENT_TYPES[extension]
	if (!contentType)
		throw new CliError(`Cannot tell the format of "${file}": use a .jsonl, .ndjson, .csv or .parquet file`)
	const info = await stat(file).catch(() => null)
	if (!info?.isFile()) throw new CliError(`No such file: ${file}`)

	let sent = 0
	const showProgress = progressReporter({ total: info.size, name: path.basename(file), stderr })
	const counter = new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			sent += chunk.length
			showProgress(sent)
			callback(null, chunk)
		},
	})
	const body = Readable.toWeb(createReadStream(file).pipe(counter)) as ReadableStream<Uint8Array>
	if (info.size === 0) showProgress(0)

	const response = await apiRequest(client, `/projects/${encodeURIComponent(project)}/items`, {
		method: 'POST',
		headers: { 'Content-Type': contentType },
		body,
		duplex: 'half',
		query: { skipInvalid: skipInvalid ? 'true' : undefined, filename: path.basename(file) },
	} as RequestInit & { duplex: 'half'; query: Record<string, string | undefined> })

	if (response.status !== 200 && response.status !== 422) {
		const problem = await readProblem(response)
		const fields = problem.errors?.map((error) => `${error.path}: ${error.message}`).join('; ')
		throw new CliError(`Import failed: ${problem.text}${fields ? ` (${fields})` : ''}`)
	}
	const report = (await response.json()) as Report
	if (json) stdout.write(`${JSON.stringify(report, null, 2)}\n`)

	if (response.status === 422) {
		stderr.write(`${report.detail ?? 'The file was refused; nothing was imported.'}\n`)
		listErrors(report, stderr)
		throw new CliError(
			`Nothing was imported into ${project}: ${report.invalidLines ?? report.errorCount} invalid line(s).`,
		)
	}
	if (!json) {
		stdout.write(
			`Imported into ${project}: ${report.imported} new, ${report.updated} updated, ${report.unchanged} unchanged.\n`,
		)
		if (report.errorCount > 0) {
			stdout.write(`Skipped ${report.invalidLines ?? report.errorCount} invalid line(s):\n`)
			listErrors(report, stdout)
		}
	}
	return report
}

export function registerImportCommand(program: Command) {
	program
		.command('import')
		.description(
			'Import items from a JSONL, CSV or Parquet file into a project (client command: QUORUM_URL, QUORUM_TOKEN)',
		)
		.argument('<file>', 'a .jsonl, .csv or .parquet file; streamed, so any size works')
		.requiredOption('--project <slug>', 'the project to import into')
		.option(
			'--skip-invalid',
			'import the valid lines and report the invalid ones (default: a file with any invalid line imports nothing)',
		)
		.option('--json', 'print the full report as JSON on stdout')
		.action(async (file: string, options: { project: string; skipInvalid?: boolean; json?: boolean }) => {
			await runImport({
				file,
				project: options.project,
				skipInvalid: options.skipInvalid,
				json: options.json,
				client: clientFromEnv(),
			})
		})
}
