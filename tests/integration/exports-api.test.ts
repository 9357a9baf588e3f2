import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, test } from 'vitest'
import { buildExport } from '#app/modules/exports/build-export.server.ts'
import { cancelExport } from '#app/modules/exports/cancel-export.server.ts'
import { pruneExports } from '#app/modules/exports/prune-exports.server.ts'
import { action as exportAction, loader as exportLoader } from '#app/routes/api/export.ts'
import { loader as downloadLoader } from '#app/routes/api/export-download.ts'
import { action as projectExportsAction, loader as projectExportsLoader } from '#app/routes/api/project-exports.ts'
import { prisma } from '#app/utils/db.server.ts'
import { judgeAll, makeExportProject } from '#tests/factories/exports.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { apiRequest, callRoute, makeUserWithToken } from '#tests/factories/users.ts'
import { checksumMismatches } from './helpers/exports.ts'

const exportRoot = await mkdtemp(path.join(tmpdir(), 'quorum-exports-api-'))
process.env.EXPORT_DIR = exportRoot

afterAll(async () => {
	await rm(exportRoot, { recursive: true, force: true })
})

async function judgedProject({ items = 4 } = {}) {
	const { project, annotators } = await makeExportProject({ annotators: 2, items })
	await judgeAll({ slug: project.slug, annotators })
	return project
}

async function post(slug: string, token: string | undefined, body: unknown) {
	return callRoute(
		projectExportsAction,
		apiRequest(`/api/v1/projects/${slug}/exports`, { token, method: 'POST', body }),
		{ slug },
	)
}

const getStatus = (id: string, token?: string) =>
	callRoute(exportLoader, apiRequest(`/api/v1/exports/${id}`, { token }), { id })

describe('exports API permissions', () => {
	test('anonymous 401, annotator 403, engineer and admin 202 then 200', async () => {
		const project = await judgedProject()
		const annotator = await makeUserWithToken({ roles: ['annotator'] })
		const engineer = await makeUserWithToken({ roles: ['engineer'] })
		const admin = await makeUserWithToken({ roles: ['admin'] })
		const body = { format: 'trl-preference', options: { style: 'conversational' } }

		expect((await post(project.slug, undefined, body)).status).toBe(401)
		const forbidden = await post(project.slug, annotator.token, body)
		expect(forbidden.status).toBe(403)
		expect(forbidden.headers.get('Content-Type')).toBe('application/problem+json')

		for (const caller of [engineer, admin]) {
			const response = await post(project.slug, caller.token, body)
			expect(response.status).toBe(202)
			const created = (await response.json()) as { id: string; status: string; progress: number }
			expect(created).toMatchObject({ status: 'queued', progress: 0 })
			expect(response.headers.get('Location')).toBe(`/api/v1/exports/${created.id}`)
			const status = await getStatus(created.id, caller.token)
			expect(status.status).toBe(200)
			expect(await status.json()).toMatchObject({ id: created.id, status: 'queued', progress: 0, rows: 0, files: [] })
			expect((await getStatus(created.id, annotator.token)).status).toBe(403)
			expect((await getStatus(created.id)).status).toBe(401)
			const cancel = (token?: string) =>
				callRoute(exportAction, apiRequest(`/api/v1/exports/${created.id}`, { token, method: 'DELETE' }), {
					id: created.id,
				})
			expect((await cancel()).status).toBe(401)
			expect((await cancel(annotator.token)).status).toBe(403)
			const download = (token?: string) =>
				callRoute(downloadLoader, apiRequest(`/api/v1/exports/${created.id}/download`, { token }), { id: created.id })
			expect((await download()).status).toBe(401)
			expect((await download(annotator.token)).status).toBe(403)
		}
		expect(await prisma.auditEvent.count({ where: { action: 'export.requested', projectId: project.id } })).toBe(2)
		const list = await callRoute(
			projectExportsLoader,
			apiRequest(`/api/v1/projects/${project.slug}/exports`, { token: engineer.token }),
			{ slug: project.slug },
		)
		expect(((await list.json()) as { total: number }).total).toBe(2)
		expect(
			(
				await callRoute(
					projectExportsLoader,
					apiRequest(`/api/v1/projects/${project.slug}/exports`, { token: annotator.token }),
					{ slug: project.slug },
				)
			).status,
		).toBe(403)
	})

	test('bad requests answer 422 naming the field; unknown ids 404', async () => {
		const project = await judgedProject({ items: 2 })
		const { token } = await makeUserWithToken({ roles: ['engineer'] })
		const cases: Array<[unknown, string]> = [
			[{ format: 'csv' }, 'format'],
			[{ format: 'hh', options: { margin: 'llama2-small' } }, 'options.margin'],
			[{ format: 'raw', options: { split: { test: 2, seed: 1 } } }, 'options.split.test'],
			[{ format: 'raw', options: { colour: 'blue' } }, 'options'],
			[{ format: 'raw', options: { minConfidence: 1.5 } }, 'options.minConfidence'],
			[{ format: 'raw', options: { aggregation: 'mace' } }, 'options.aggregation'],
		]
		for (const [body, field] of cases) {
			const response = await post(project.slug, token, body)
			expect(response.status, JSON.stringify(body)).toBe(422)
			const problem = (await response.json()) as { errors: { path: string }[] }
			expect(problem.errors.map((error) => error.path)).toContain(field)
		}
		expect((await post('no-such-project', token, { format: 'raw' })).status).toBe(404)
		expect((await getStatus('3f1c2d4e-0000-4000-8000-000000000000', token)).status).toBe(404)
		expect((await getStatus('not-a-uuid', token)).status).toBe(404)
		expect(await prisma.export.count({ where: { projectId: project.id } })).toBe(0)
	})
})

describe('building, downloading, cancelling', () => {
	test('a built export reports progress 1, rows and files, and downloads as a .tar.gz that matches its manifest', async () => {
		const project = await judgedProject()
		const { token } = await makeUserWithToken({ roles: ['engineer'] })
		const created = (await (
			await post(project.slug, token, { format: 'raw', options: { files: ['parquet', 'jsonl'] } })
		).json()) as { id: string }
		const early = await callRoute(downloadLoader, apiRequest(`/api/v1/exports/${created.id}/download`, { token }), {
			id: created.id,
		})
		expect(early.status).toBe(409)

		expect((await buildExport({ exportId: created.id })).status).toBe('succeeded')
		const status = (await (await getStatus(created.id, token)).json()) as {
			status: string
			progress: number
			rows: number
			files: { path: string }[]
		}
		expect(status).toMatchObject({ status: 'succeeded', progress: 1, rows: 8 })
		expect(status.files.map((file) => file.path)).toEqual([
			'README.md',
			'data/train-00000-of-00001.jsonl',
			'data/train-00000-of-00001.parquet',
		])

		const download = await callRoute(downloadLoader, apiRequest(`/api/v1/exports/${created.id}/download`, { token }), {
			id: created.id,
		})
		expect(download.status).toBe(200)
		expect(download.headers.get('Content-Type')).toBe('application/gzip')
		const disposition = download.headers.get('Content-Disposition')!
		const base = `${project.slug}-raw-${created.id.slice(0, 8)}`
		expect(disposition).toBe(`attachment; filename="${base}.tar.gz"`)
		const tar = gunzipSync(Buffer.from(await download.arrayBuffer()))
		const names: string[] = []
		for (let offset = 0; offset + 512 <= tar.length;) {
			const name = tar
				.subarray(offset, offset + 100)
				.toString('utf8')
				.replace(/\0.*$/s, '')
			if (!name) break
			const size = parseInt(
				tar
					.subarray(offset + 124, offset + 136)
					.toString('utf8')
					.replace(/\0.*$/s, '')
					.trim() || '0',
				8,
			)
			names.push(name)
			offset += 512 + Math.ceil(size / 512) * 512
		}
		expect(names).toEqual([
			`${base}/`,
			`${base}/README.md`,
			`${base}/data/`,
			`${base}/data/train-00000-of-00001.jsonl`,
			`${base}/data/train-00000-of-00001.parquet`,
			`${base}/manifest.json`,
		])
		const view = (await (
			await callRoute(exportLoader, apiRequest(`/api/v1/exports/${created.id}?manifest=true`, { token }), {
				id: created.id,
			})
		).json()) as { manifest: unknown }
		expect(view.manifest).toMatchObject({ exportId: created.id, format: 'raw' })
	})

	test('cancelling a running export stops it between batches and leaves nothing on disk', async () => {
		const project = await judgedProject({ items: 6 })
		const { user, token } = await makeUserWithToken({ roles: ['engineer'] })
		const created = (await (await post(project.slug, token, { format: 'raw' })).json()) as { id: string }
		let batches = 0
		let tempDirsWhileRunning: string[] = []
		const result = await buildExport({
			exportId: created.id,
			batchItems: 2,
			hooks: {
				afterBatch: async ({ tempDirs }) => {
					batches++
					if (batches === 1) {
						tempDirsWhileRunning = await tempDirs()
						await cancelExport({ exportId: created.id, user: asSessionUser(user) })
					}
				},
			},
		})
		expect(result.status).toBe('cancelled')
		expect(batches).toBe(1)
		expect(tempDirsWhileRunning).toHaveLength(1)
		expect(await readdir(exportRoot)).not.toContainEqual(expect.stringContaining(created.id))
		const status = (await (await getStatus(created.id, token)).json()) as { status: string; cancelledAt: string | null }
		expect(status.status).toBe('cancelled')
		expect(status.cancelledAt).not.toBeNull()
		// A job that runs after the cancel does nothing; cancelling again is a no-op; a finished export cannot be cancelled.
		expect(await buildExport({ exportId: created.id })).toEqual({ status: 'skipped', reason: 'cancelled' })
		const again = await callRoute(
			exportAction,
			apiRequest(`/api/v1/exports/${created.id}`, { token, method: 'DELETE' }),
			{ id: created.id },
		)
		expect(again.status).toBe(200)
		const done = (await (await post(project.slug, token, { format: 'raw' })).json()) as { id: string }
		await buildExport({ exportId: done.id })
		expect(
			(
				await callRoute(exportAction, apiRequest(`/api/v1/exports/${done.id}`, { token, method: 'DELETE' }), {
					id: done.id,
				})
			).status,
		).toBe(409)
		expect(await prisma.auditEvent.count({ where: { action: 'export.cancelled', targetId: created.id } })).toBe(1)
	})

	test('a retry after a crash removes the leftover temporary folder (and a stray final folder) and completes', async () => {
		const project = await judgedProject()
		const { token } = await makeUserWithToken({ roles: ['engineer'] })
		const created = (await (await post(project.slug, token, { format: 'trl-preference' })).json()) as { id: string }
		// What a worker killed mid-export leaves: the row says running, a half-written temporary folder.
		await prisma.export.update({
			where: { id: created.id },
			data: { status: 'running', progress: 0.5, startedAt: new Date() },
		})
		const leftover = path.join(exportRoot, `${created.id}.tmp-deadbeef0001`)
		await mkdir(path.join(leftover, 'data'), { recursive: true })
		await writeFile(path.join(leftover, 'data/train-00000-of-00001.parquet'), 'PAR1 half written')

		const result = await buildExport({ exportId: created.id })
		expect(result.status).toBe('succeeded')
		expect(existsSync(leftover)).toBe(false)
		const row = await prisma.export.findUniqueOrThrow({ where: { id: created.id } })
		expect(row.status).toBe('succeeded')
		expect(
			await checksumMismatches({ dir: path.join(exportRoot, created.id), manifest: row.manifest as never }),
		).toEqual([])
	})

	test('a transient failure before the last attempt returns the export to the queue; on the last it fails', async () => {
		const project = await judgedProject({ items: 2 })
		const { token } = await makeUserWithToken({ roles: ['engineer'] })
		const created = (await (await post(project.slug, token, { format: 'raw' })).json()) as { id: string }
		const boom = { afterBatch: async () => Promise.reject(new Error('connection reset')) }
		await expect(buildExport({ exportId: created.id, isLastAttempt: false, hooks: boom })).rejects.toThrow(
			'connection reset',
		)
		expect(await prisma.export.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({
			status: 'queued',
			error: expect.stringContaining('connection reset'),
		})
		expect(await buildExport({ exportId: created.id, isLastAttempt: true, hooks: boom })).toMatchObject({
			status: 'failed',
		})
		const failed = (await (await getStatus(created.id, token)).json()) as { status: string; error: string }
		expect(failed).toMatchObject({ status: 'failed', error: expect.stringContaining('connection reset') })
		expect(await readdir(exportRoot)).not.toContainEqual(expect.stringContaining(created.id))
	})

	test('pruning deletes the files of old exports and orphaned folders, keeping the rows', async () => {
		const project = await judgedProject({ items: 2 })
		const { token } = await makeUserWithToken({ roles: ['engineer'] })
		const created = (await (await post(project.slug, token, { format: 'raw' })).json()) as { id: string }
		await buildExport({ exportId: created.id })
		const orphan = path.join(exportRoot, '0d3f5a6b-1111-4222-8333-444455556666')
		await mkdir(orphan)
		const unrelated = path.join(exportRoot, 'notes')
		await mkdir(unrelated, { recursive: true })

		const kept = await pruneExports({ retentionDays: 30 })
		expect(kept.expired).toBe(0)
		expect(existsSync(path.join(exportRoot, created.id))).toBe(true)
		expect(existsSync(orphan)).toBe(false)

		const later = await pruneExports({ retentionDays: 30, now: new Date(Date.now() + 31 * 86_400_000) })
		expect(later.expired).toBeGreaterThanOrEqual(1)
		expect(existsSync(path.join(exportRoot, created.id))).toBe(false)
		expect(existsSync(unrelated)).toBe(true)
		const status = (await (await getStatus(created.id, token)).json()) as { status: string; available: boolean }
		expect(status).toMatchObject({ status: 'succeeded', available: false })
		expect(
			(
				await callRoute(downloadLoader, apiRequest(`/api/v1/exports/${created.id}/download`, { token }), {
					id: created.id,
				})
			).status,
		).toBe(404)
	})
})
