import { expect, loginAs, open, test } from './fixtures.ts'

const { startStubOpenAi } = await import('#tests/helpers/stub-openai.ts')
const { importText, jsonl } = await import('#tests/factories/imports.ts')
const { judgeAll } = await import('#tests/factories/exports.ts')
const { asSessionUser } = await import('#tests/factories/judgments.ts')
const { makeProject } = await import('#tests/factories/projects.ts')
const { makeUser } = await import('#tests/factories/users.ts')
const { createModelEndpoint } = await import('#app/modules/models/endpoints.server.ts')

test('an admin registers and tests two model endpoints, generates responses for 20 prompts, annotators judge them, and the export names the models', async ({
	page,
}) => {
	test.setTimeout(120_000)
	const stub = await startStubOpenAi({ models: ['alpha-7b', 'beta-7b'] })
	try {
		const annotators = [
			asSessionUser(await makeUser({ roles: ['annotator'] })),
			asSessionUser(await makeUser({ roles: ['annotator'] })),
		]
		const project = await makeProject({
			members: annotators.map((annotator) => ({ id: annotator.id })),
			input: { taskType: 'pairwise', overlap: 2 },
		})
		const admin = await loginAs(page, ['admin'])
		const report = await importText({
			slug: project.slug,
			user: asSessionUser(admin),
			data: jsonl(
				...Array.from({ length: 20 }, (_, i) => ({ id: `prompt-${i + 1}`, prompt: `Question number ${i + 1}?` })),
			),
		})
		expect(report.imported).toBe(20)
		const suffix = Math.random().toString(36).slice(2, 6)

		await open(page, '/admin/models')
		await expect(page.getByRole('heading', { name: 'Model endpoints', level: 1 })).toBeVisible()
		for (const model of ['alpha-7b', 'beta-7b']) {
			const form = page.getByRole('form', { name: 'Add an endpoint' })
			await form.getByLabel('Name').fill(`${model}-${suffix}`)
			await form.getByLabel('Model id').fill(model)
			await form.getByLabel('Base URL (the /v1 root)').fill(stub.baseUrl)
			await form.getByLabel('API key (optional)').fill('sk-local-9876')
			await form.getByRole('button', { name: 'Add endpoint' }).click()
			await expect(page.getByText('Endpoint added.')).toBeVisible()
			await expect(page.locator(`details[data-endpoint="${model}-${suffix}"]`)).toBeVisible()
		}
		const alpha = page.locator(`details[data-endpoint="alpha-7b-${suffix}"]`)
		await alpha.locator('summary').click()
		await expect(alpha.getByLabel(/API key \(set, ends in …9876/)).toBeVisible()
		await alpha.getByRole('button', { name: `Test alpha-7b-${suffix}` }).click()
		await expect(alpha.getByRole('status')).toContainText(/Works: answered in \d+ ms\./)

		await open(page, `/projects/${project.slug}/items?status=waiting`)
		await expect(page.getByText('Waiting for responses').first()).toBeVisible()

		await open(page, `/projects/${project.slug}/generate`)
		await expect(page.getByText('20 items wait for responses.')).toBeVisible()
		await page.getByRole('checkbox', { name: new RegExp(`alpha-7b-${suffix}`) }).check()
		await page.getByRole('checkbox', { name: new RegExp(`beta-7b-${suffix}`) }).check()
		await page.getByRole('button', { name: 'Generate' }).click()
		const run = page.locator('li[data-generation]').first()
		await expect(run.locator('[data-status="succeeded"]')).toBeVisible({ timeout: 60_000 })
		await expect(run).toContainText('40 of 40 samples')
		await expect(run).toContainText('20 items · 20 ready for annotation')
		// Besides the Test's one-token completion, one request per (item, endpoint).
		expect(stub.requests.filter((request) => request.body.max_tokens !== 1)).toHaveLength(40)

		expect(
			await judgeAll({
				slug: project.slug,
				annotators,
				choose: (assignment) => ({ ranking: assignment.item.responses.map((response) => [response.id]), strength: 2 }),
			}),
		).toBe(40)

		await loginAs(page, ['engineer'])
		await open(page, `/projects/${project.slug}/exports`)
		await page.getByLabel('Format').selectOption('trl-preference')
		const preview = page.getByRole('table', { name: 'First rows of the export' })
		await expect(preview.getByRole('columnheader', { name: 'chosen_model', exact: true })).toBeVisible()
		await expect(preview.getByRole('columnheader', { name: 'rejected_model', exact: true })).toBeVisible()
		await expect(preview).toContainText('alpha-7b')
		await expect(preview).toContainText('beta-7b')
	} finally {
		await stub.close()
	}
})

test('an admin edits the judge template, previews it, starts a judge run from the Judge page and sees it finish', async ({
	page,
}) => {
	test.setTimeout(90_000)
	const stub = await startStubOpenAi({ models: ['judge-7b'] })
	stub.fallback = () => ({ kind: 'judge', mode: 'longer', confidence: 0.9 })
	try {
		const project = await makeProject({ items: 5, input: { taskType: 'pairwise', overlap: 2 } })
		const admin = await loginAs(page, ['admin'])
		const name = `judge-${Math.random().toString(36).slice(2, 6)}`
		await createModelEndpoint({
			user: asSessionUser(admin),
			input: { name, baseUrl: stub.baseUrl, model: 'judge-7b', concurrency: 2 },
		})

		await open(page, `/projects/${project.slug}`)
		await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Judge' }).click()
		await expect(page.getByRole('heading', { name: 'Run an AI judge' })).toBeVisible()
		await expect(page.getByRole('heading', { name: /Judge prompt template/ })).toContainText('built-in default')

		const template = page.getByLabel('Template', { exact: true })
		await template.fill('Be strict.\n\n{{context}}\n\n{{responses}}\n\n{{verdict_format}}')
		await page.getByRole('button', { name: 'Preview' }).click()
		const preview = page.getByLabel('Prompt preview')
		await expect(preview).toContainText('As the judge would see item item-1')
		await expect(preview).toContainText('[Response A]')
		await expect(preview).toContainText('Be strict.')
		await page.getByRole('button', { name: 'Save template' }).click()
		await expect(page.getByRole('heading', { name: /Judge prompt template/ })).toContainText('version 1')
		await expect(page.getByLabel('Template versions')).toContainText('Version 1')

		await page.getByLabel('Judge endpoint').selectOption({ label: `${name} (judge-7b)` })
		await page.getByRole('button', { name: 'Start judge run' }).click()
		const run = page.locator('li[data-judge-run]').first()
		await expect(run.locator('[data-status="succeeded"]')).toBeVisible({ timeout: 60_000 })
		await expect(run).toContainText('10 of 10 calls')
		await expect(run).toContainText('5 items · 5 judged')
		await expect(run).toContainText('template v1')
		expect(stub.requests).toHaveLength(10)
		expect(stub.requests.every((request) => JSON.stringify(request.body.messages).includes('Be strict.'))).toBe(true)
	} finally {
		await stub.close()
	}
})

test('annotators cannot reach the model endpoints page', async ({ page }) => {
	await loginAs(page, ['annotator'])
	await open(page, '/projects')
	await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models' })).toHaveCount(0)
	const response = await page.goto('/admin/models')
	expect(response?.status()).toBe(403)
})
