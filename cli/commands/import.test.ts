import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { action as itemsAction } from '#app/routes/api/project-items.ts'
import { prisma } from '#app/utils/db.server.ts'
import { jsonl, pairwiseLine } from '#tests/factories/imports.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { callRoute, makeUserWithToken } from '#tests/factories/users.ts'
import { clientFromEnv, type Client } from '../client.ts'
import { CliError } from '../errors.ts'
import { runImport } from './import.ts'

let dir = ''
beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'quorum-cli-import-'))
})
afterAll(async () => {
	await rm(dir, { recursive: true, force: true })
})

function capture() {
	let text = ''
	return {
		write: (chunk: string) => (text += chunk),
		isTTY: false,
		get text() {
			return text
		},
	}
}

async function failure(promise: Promise<unknown>) {
	try {
		await promise
	} catch (error) {
		return error as Error
	}
	throw new Error('expected the import to fail')
}

/** A client whose requests go straight to the API route handler, as the server would route them. */
function clientFor({ token, slug }: { token: string; slug: string }): Client {
	return clientFromEnv({
		env: { QUORUM_URL: 'http://quorum.test', QUORUM_TOKEN: token },
		fetchImpl: (async (url: URL, init: RequestInit) =>
			callRoute(itemsAction, new Request(url, init), { slug })) as unknown as typeof fetch,
	})
}

/** A loopback port nothing listens on: taken from the OS, then released. */
async function closedPort() {
	const server = createServer()
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	const { port } = server.address() as AddressInfo
	await new Promise((resolve) => server.close(resolve))
	return port
}

async function file(name: string, content: string) {
	const filename = path.join(dir, name)
	await writeFile(filename, content)
	return filename
}

describe('quorum import', () => {
	test('streams the file, shows progress on stderr and prints the report', async () => {
		const { token } = await makeUserWithToken({ roles: ['admin'] })
		const project = await makeProject({ input: { status: 'draft' } })
		const filename = await file('ok.jsonl', jsonl(...Array.from({ length: 50 }, (_, i) => pairwiseLine(`cli-${i}`))))
		const stdout = capture()
		const stderr = capture()
		const report = await runImport({
			file: filename,
			project: project.slug,
			client: clientFor({ token, slug: project.slug }),
			stdout,
			stderr,
		})
		expect(report.imported).toBe(50)
		expect(stdout.text).toBe(`Imported into ${project.slug}: 50 new, 0 updated, 0 unchanged.\n`)
		expect(stderr.text).toMatch(/Uploading ok\.jsonl: 100% /)
		expect(await prisma.item.count({ where: { projectId: project.id } })).toBe(50)
		const recorded = await prisma.import.findFirstOrThrow({ where: { projectId: project.id } })
		expect(recorded).toMatchObject({ filename: 'ok.jsonl', format: 'jsonl', imported: 50 })
	})

	test('a refused file lists its bad lines and fails; --skip-invalid imports the rest', async () => {
		const { token } = await makeUserWithToken({ roles: ['admin'] })
		const project = await makeProject({ input: { status: 'draft' } })
		const filename = await file('bad.csv', 'id,prompt,response_a,response_b\nc1,Hi,a,b\nc2,,a,b\n')
		const client = clientFor({ token, slug: project.slug })
		const stderr = capture()
		const error = await failure(runImport({ file: filename, project: project.slug, client, stdout: capture(), stderr }))
		expect(error).toBeInstanceOf(CliError)
		expect((error as CliError).message).toBe(`Nothing was imported into ${project.slug}: 1 invalid line(s).`)
		expect(stderr.text).toMatch(/^ {2}line 2, prompt: /m)
		expect(await prisma.item.count({ where: { projectId: project.id } })).toBe(0)

		const stdout = capture()
		await runImport({ file: filename, project: project.slug, skipInvalid: true, client, stdout, stderr: capture() })
		expect(stdout.text).toMatch(/1 new, 0 updated, 0 unchanged\.\nSkipped 1 invalid line\(s\):\n {2}line 2, prompt: /)
		expect(await prisma.item.count({ where: { projectId: project.id } })).toBe(1)
	})

	test('401 and 403 answers become clear errors', async () => {
		const annotator = await makeUserWithToken({ roles: ['annotator'] })
		const project = await makeProject()
		const filename = await file('auth.jsonl', jsonl(pairwiseLine(1)))
		const denied = await failure(
			runImport({
				file: filename,
				project: project.slug,
				client: clientFor({ token: annotator.token, slug: project.slug }),
				stderr: capture(),
			}),
		)
		expect(denied.message).toMatch(/^Not allowed: This needs the "import:items" permission/)
		const revoked = await failure(
			runImport({
				file: filename,
				project: project.slug,
				client: clientFor({ token: 'qrm_nope.nope', slug: project.slug }),
				stderr: capture(),
			}),
		)
		expect(revoked.message).toMatch(/^The server did not accept QUORUM_TOKEN/)
	})

	test('an unreachable server, a missing file and an unknown extension are named', async () => {
		const filename = await file('x.jsonl', jsonl(pairwiseLine(1)))
		const port = await closedPort()
		const unreachable = clientFromEnv({ env: { QUORUM_URL: `http://127.0.0.1:${port}`, QUORUM_TOKEN: 't' } })
		const error = await failure(runImport({ file: filename, project: 'p', client: unreachable, stderr: capture() }))
		expect(error.message).toBe(
			`Cannot reach Quorum at http://127.0.0.1:${port} (ECONNREFUSED). Check QUORUM_URL and that the server is running.`,
		)
		const missing = await failure(runImport({ file: path.join(dir, 'nope.jsonl'), project: 'p', client: unreachable }))
		expect(missing.message).toBe(`No such file: ${path.join(dir, 'nope.jsonl')}`)
		const unknown = await failure(runImport({ file: await file('x.xlsx', ''), project: 'p', client: unreachable }))
		expect(unknown.message).toMatch(/Cannot tell the format/)
	})

	test('QUORUM_URL and QUORUM_TOKEN must be set', () => {
		expect(() => clientFromEnv({ env: {} })).toThrow(/QUORUM_URL is not set/)
		expect(() => clientFromEnv({ env: { QUORUM_URL: 'not a url' } })).toThrow(/QUORUM_URL is not a URL/)
		expect(() => clientFromEnv({ env: { QUORUM_URL: 'ftp://x' } })).toThrow(/must start with http/)
		expect(() => clientFromEnv({ env: { QUORUM_URL: 'http://x' } })).toThrow(/QUORUM_TOKEN is not set/)
	})

	test('the installed command is registered and exits non-zero with one line', async () => {
		const env = { ...process.env, QUORUM_URL: '', QUORUM_TOKEN: '' }
		const result = await promisify(execFile)('node', ['bin/quorum.js', 'import', 'items.jsonl', '--project', 'demo'], {
			env,
		}).catch((e: unknown) => e as { code: number; stderr: string })
		expect(result).toMatchObject({ code: 1 })
		expect((result as { stderr: string }).stderr).toMatch(/^error: QUORUM_URL is not set/)
	})
})
