import { prisma } from '#app/utils/db.server.ts'
import { expect, loginAs, open, test } from './fixtures.ts'

const MODELS = ['zeta-llm-7b', 'omicron-chat-13b', 'sigma-instruct', 'kappa-base-v2']

const prompts = ['Explain recursion.', 'Name a prime number.', 'Describe the sea.']
	.map((prompt, p) =>
		JSON.stringify({
			id: `arena-${p + 1}`,
			prompt,
			responses: MODELS.map((model, m) => ({
				id: `r${m + 1}`,
				model,
				content: `Answer number ${m + 1} to prompt ${p + 1}.`,
			})),
		}),
	)
	.join('\n')

test('an admin creates a comparison project and imports prompts; an annotator judges three blind battles with the keyboard', async ({
	page,
}) => {
	await loginAs(page, ['admin'])
	const name = `E2E arena ${Date.now()}`
	await page.goto('/projects/new')
	await page.getByLabel('Name', { exact: true }).fill(name)
	await page.getByLabel(/Comparison \(arena\)/).check()
	await expect(page.getByText('battles per prompt')).toBeVisible()
	await expect(page.getByLabel('Pair policy')).toHaveValue('uniform')
	await expect(page.getByLabel(/Self-identification words/)).toContainText('ChatGPT')
	await page.getByLabel('Overlap').fill('3')
	await page.getByRole('button', { name: 'Create project' }).click()
	await expect(page.getByRole('heading', { name })).toBeVisible()

	await page.getByRole('link', { name: 'Import items' }).click()
	await page
		.getByLabel('File')
		.setInputFiles({ name: 'arena.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(prompts + '\n') })
	await page.getByRole('button', { name: 'Upload and import' }).click()
	const report = page.getByTestId('import-report')
	await expect(report.getByRole('heading', { name: 'Import finished' })).toBeVisible()
	await expect(report.getByText('New items').locator('..')).toContainText('3')

	await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Settings' }).click()
	await expect(page.getByRole('heading', { name: 'Status: draft' })).toBeVisible()
	await page.getByRole('button', { name: 'Activate' }).click()
	await expect(page.getByRole('heading', { name: 'Status: active' })).toBeVisible()

	const project = await prisma.project.findFirstOrThrow({ where: { name } })
	expect(project).toMatchObject({ taskType: 'comparison', pairPolicy: 'uniform', overlap: 3 })
	const annotator = await loginAs(page, ['annotator'])
	await prisma.projectMember.create({ data: { projectId: project.id, userId: annotator.id, role: 'annotator' } })

	await open(page, `/projects/${project.slug}/annotate`)
	const choices = [['1', 'e'], ['2', 'w'], ['3']]
	for (const [n, keys] of choices.entries()) {
		await expect(page.getByRole('heading', { name: 'Response A' })).toBeVisible()
		await expect(page.getByRole('heading', { name: 'Response B' })).toBeVisible()
		await expect(page.getByRole('heading', { name: /^Response [C-I]$/ })).toHaveCount(0)
		await expect(page.getByText(/^Answer number \d to prompt \d\.$/)).toHaveCount(2)
		const html = await page.content()
		for (const model of MODELS) expect(html).not.toContain(model)
		const item = await page.getByText(/^item arena-/).textContent()
		for (const key of keys) await page.keyboard.press(key)
		await page.keyboard.press('Enter')
		if (n < choices.length - 1) await expect(page.getByText(/^item arena-/)).not.toHaveText(item!)
	}
	await expect(page.getByRole('heading', { name: 'No work left for you' })).toBeVisible()

	const judgments = await prisma.judgment.findMany({ where: { projectId: project.id }, orderBy: { createdAt: 'asc' } })
	expect(judgments).toHaveLength(3)
	for (const judgment of judgments) {
		expect(judgment.displayOrder).toHaveLength(2)
		expect((judgment.ranking as string[][]).flat().sort()).toEqual([...judgment.displayOrder].sort())
	}
	expect(judgments[0]!.ranking).toEqual([[judgments[0]!.displayOrder[0]], [judgments[0]!.displayOrder[1]]])
	expect(judgments[1]!.ranking).toEqual([[judgments[1]!.displayOrder[1]], [judgments[1]!.displayOrder[0]]])
	expect(judgments[2]!.ranking).toEqual([judgments[2]!.displayOrder])
	const battles = await prisma.arenaPair.aggregate({ where: { projectId: project.id }, _sum: { battles: true } })
	expect(battles._sum.battles).toBe(3)
})
