import path from 'node:path'
import { expect, loginAs, test } from './fixtures.ts'

const fixture = (name: string) => path.resolve('tests/fixtures/imports', name)

test('an admin creates a project, is refused a file with bad lines, imports the fixed file, and sees the items and the dashboard', async ({
	page,
}) => {
	await loginAs(page, ['admin'])
	const name = `E2E import ${Date.now()}`

	await page.goto('/projects')
	await expect(page.getByRole('table', { name: 'Projects' })).toBeVisible()
	await page.getByRole('link', { name: 'New project' }).click()
	await expect(page.getByRole('heading', { name: 'New project' })).toBeVisible()
	await page.getByLabel('Name', { exact: true }).fill(name)
	await page.getByLabel('Overlap').fill('2')
	await page.getByRole('button', { name: 'Add flag' }).click()
	await page.getByLabel('Flag 1', { exact: true }).fill('hallucination')
	await page.getByRole('button', { name: 'Create project' }).click()

	await expect(page.getByRole('heading', { name })).toBeVisible()
	await expect(page.getByRole('heading', { name: 'This project has no items yet' })).toBeVisible()
	await page.getByRole('link', { name: 'Import items' }).click()

	await page.getByLabel('File').setInputFiles(fixture('bad-lines.jsonl'))
	await page.getByRole('button', { name: 'Upload and import' }).click()
	const report = page.getByTestId('import-report')
	await expect(report.getByRole('heading', { name: 'Import refused: nothing was imported' })).toBeVisible()
	const errorRows = report.getByRole('table', { name: 'Invalid lines' }).getByRole('row')
	await expect(errorRows).toHaveCount(4)
	await expect(errorRows.nth(1)).toContainText('invalid JSON')
	await expect(errorRows.nth(2)).toContainText('4')
	await expect(errorRows.nth(2)).toContainText('prompt')
	await expect(errorRows.nth(3)).toContainText('duplicate id "ok-1": already used on line 1')
	await expect(page.getByText('Previous imports').locator('..').getByText('refused (3 errors)')).toBeVisible()

	await page.getByLabel('File').setInputFiles(fixture('good.jsonl'))
	await page.getByRole('button', { name: 'Upload and import' }).click()
	await expect(report.getByRole('heading', { name: 'Import finished' })).toBeVisible()
	await expect(report.getByText('New items').locator('..')).toContainText('6')
	await expect(report.getByRole('table', { name: 'Invalid lines' })).toHaveCount(0)

	await page.getByRole('link', { name: 'See the items' }).click()
	const items = page.getByRole('table', { name: 'Items' })
	await expect(items.getByRole('row')).toHaveCount(7)
	await expect(items.getByText('capital-france')).toBeVisible()
	await expect(items.getByText('0 / 2').first()).toBeVisible()
	await page.getByRole('button', { name: /^Gold \(2\)/ }).click()
	await expect(page).toHaveURL(/status=gold/)
	await expect(items.getByRole('row')).toHaveCount(3)
	await expect(items.getByText('haiku-chat')).toBeVisible()

	await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Dashboard' }).click()
	await expect(page.getByRole('group', { name: 'Items' })).toContainText('6')
	await expect(page.getByRole('group', { name: 'Completion' })).toContainText('0.0%')
	await expect(page.getByRole('group', { name: 'Estimated finish' })).toContainText('Not running')
	await expect(page.getByText('Judgments per hour')).toBeVisible()
	await expect(page.getByText('No judgments in the last 48 hours.')).toBeVisible()
	await expect(page.getByRole('button', { name: 'Pause' })).toHaveCount(0)

	await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Settings' }).click()
	// The dashboard has an Activate button too: wait for the settings page before clicking.
	await expect(page.getByRole('heading', { name: 'Status: draft' })).toBeVisible()
	await page.getByRole('button', { name: 'Activate' }).click()
	await expect(page.getByRole('heading', { name: 'Status: active' })).toBeVisible()
	await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Dashboard' }).click()
	await page.getByRole('button', { name: 'Pause' }).click()
	await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible()
	await expect(page.getByRole('heading', { name }).getByText('paused')).toBeVisible()

	await page.goto('/projects')
	const row = page.getByRole('table', { name: 'Projects' }).getByRole('row').filter({ hasText: name })
	await expect(row).toContainText('paused')
	await expect(row).toContainText('6')
})

test('guidelines: the live preview renders markdown without running HTML, and each save is a new version', async ({
	page,
}) => {
	await loginAs(page, ['admin'])
	await page.goto('/projects/new')
	const name = `E2E guidelines ${Date.now()}`
	await page.getByLabel('Name', { exact: true }).fill(name)
	await page.getByRole('button', { name: 'Create project' }).click()
	await expect(page.getByRole('heading', { name })).toBeVisible()
	await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Guidelines' }).click()

	const dialogs: string[] = []
	page.on('dialog', async (dialog) => {
		dialogs.push(dialog.message())
		await dialog.dismiss()
	})
	await page
		.getByLabel('Markdown')
		.fill('# Judge helpfulness\n\nPrefer **honest** answers.\n\n<img src=x onerror="alert(1)">')
	const preview = page.getByTestId('guidelines-preview')
	await expect(preview.getByRole('heading', { name: 'Judge helpfulness' })).toBeVisible()
	await expect(preview.locator('strong')).toHaveText('honest')
	await expect(preview.getByText('<img src=x onerror="alert(1)">')).toBeVisible()
	await expect(preview.locator('img')).toHaveCount(0)
	await page.getByRole('button', { name: 'Save as new version' }).click()
	await expect(page.getByText('Saved as version 2.')).toBeVisible()
	await expect(page.getByRole('heading', { name: 'Version history' })).toBeVisible()
	await expect(page.getByText('Version 2', { exact: true })).toBeVisible()
	await expect(page.getByText('Version 1', { exact: true })).toBeVisible()
	expect(dialogs).toEqual([])
})
