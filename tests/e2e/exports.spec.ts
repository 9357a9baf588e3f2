import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { x as untar } from 'tar'
import { expect, loginAs, open, test } from './fixtures.ts'

const { judgeAll, makeExportProject } = await import('#tests/factories/exports.ts')
const { verifyDataset } = await import('#cli/commands/export.ts')

test('an engineer previews an export, runs it, watches it finish and downloads a verified dataset', async ({
	page,
}) => {
	const { project, annotators } = await makeExportProject({ annotators: 2, items: 4 })
	await judgeAll({ slug: project.slug, annotators })
	await loginAs(page, ['engineer'])

	await open(page, '/projects')
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exports' }).click()
	await expect(page.getByRole('heading', { name: 'Exports', level: 1 })).toBeVisible()
	await page.getByRole('link', { name: `Export ${project.name}` }).click()
	await expect(page.getByRole('heading', { name: 'New export' })).toBeVisible()
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' })

	const preview = page.getByTestId('export-preview')
	await expect(preview).toContainText('8 judgments on 4 items')
	await page.getByLabel('Format').selectOption('openai-dpo')
	await page.getByRole('checkbox', { name: 'JSONL', exact: true }).check()
	await expect(preview.getByRole('columnheader', { name: 'preferred_output', exact: true })).toBeVisible()
	await expect(preview).toContainText('4 rows expected: 4 train, 0 test.')
	await expect(preview.getByRole('table', { name: 'First rows of the export' }).getByRole('row')).toHaveCount(5)

	await page.getByRole('button', { name: 'Start export' }).click()
	await expect(page.getByText('Export queued.')).toBeVisible()
	const jobs = page.getByRole('table', { name: 'Exports' })
	await expect(jobs.getByRole('row')).toHaveCount(2)
	const download = jobs.getByRole('link', { name: 'Download' })
	await expect(download).toBeVisible({ timeout: 30_000 })
	await expect(jobs).toContainText('succeeded')

	await jobs.locator('summary', { hasText: 'Manifest' }).click()
	await expect(jobs).toContainText('data/train-00000-of-00001.parquet')

	const [file] = await Promise.all([page.waitForEvent('download'), download.click()])
	expect(file.suggestedFilename()).toMatch(new RegExp(`^${project.slug}-openai-dpo-[0-9a-f]{8}\\.tar\\.gz$`))
	const dir = await mkdtemp(path.join(tmpdir(), 'quorum-e2e-export-'))
	try {
		const archive = path.join(dir, file.suggestedFilename())
		await file.saveAs(archive)
		const out = path.join(dir, 'dataset')
		const { mkdir } = await import('node:fs/promises')
		await mkdir(out)
		await untar({ file: archive, cwd: out, strip: 1 })
		expect((await readdir(out)).sort()).toEqual(['README.md', 'data', 'manifest.json'])
		expect(await verifyDataset(out)).toBe(3)
	} finally {
		await rm(dir, { recursive: true, force: true })
	}
})

test('annotators have no Exports link and are refused the page', async ({ page }) => {
	await loginAs(page, ['annotator'])
	await open(page, '/projects')
	await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exports' })).toHaveCount(0)
	const response = await page.goto('/exports')
	expect(response?.status()).toBe(403)
})
