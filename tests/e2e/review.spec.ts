import AxeBuilder from '@axe-core/playwright'
import { prisma } from '#app/utils/db.server.ts'
import { itemNumber, judgeAll, prefer } from '#tests/factories/analytics.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { expect, loginAs, makeUser, open, test } from './fixtures.ts'

test('a reviewer finds a disputed item in the queue, reads every judgment and adjudicates it with the keyboard', async ({
	page,
}) => {
	const reviewer = await loginAs(page, ['reviewer'])
	const annotators = await Promise.all([1, 2, 3].map(() => makeUser(['annotator'])))
	const project = await makeProject({
		members: [...annotators, { id: reviewer.id, role: 'reviewer' }],
		items: 3,
		input: { overlap: 3, randomizeOrder: false, rationale: 'optional', name: 'Helpfulness review' },
	})
	const [first] = await prisma.item.findMany({ where: { projectId: project.id }, orderBy: { seq: 'asc' } })
	await prisma.response.update({
		where: { itemId_key: { itemId: first!.id, key: 'r2' } },
		data: { content: 'Paris. <img src=x onerror="document.title=\'pwned\'"> **Sources**: INSEE.', model: 'model-b' },
	})
	const rationales = ['A is shorter', 'A is clearer', 'B cites a source']
	for (const [i, annotator] of annotators.entries()) {
		await judgeAll({
			slug: project.slug,
			annotator,
			decide: (assignment) => ({
				ranking: prefer(assignment, itemNumber(assignment) === 1 && i === 2 ? 'r2' : 'r1'),
				strength: 1,
				rationale: itemNumber(assignment) === 1 ? rationales[i] : undefined,
			}),
		})
	}

	await open(page, '/review')
	await expect(page.getByRole('heading', { name: 'Review', exact: true })).toBeVisible()
	const row = page.getByRole('listitem').filter({ hasText: 'Helpfulness review' })
	await expect(row).toContainText('1 to review')
	await row.getByRole('link', { name: 'Helpfulness review' }).click()

	await expect(page.getByRole('table', { name: 'Review queue' })).toBeVisible()
	await expect(page.getByTestId('computed-at')).toContainText('Computed at')
	await page.getByRole('link', { name: 'item-1' }).click()

	await expect(page.getByRole('heading', { name: /Item item-1/ })).toBeVisible()
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' })
	for (const rationale of rationales) await expect(page.getByText(rationale)).toBeVisible()
	for (const annotator of annotators) await expect(page.getByText(annotator.displayName).first()).toBeVisible()
	await expect(page.getByText('model-b', { exact: true })).toBeVisible()
	await expect(page.getByLabel('Content of response B')).toContainText('<img src=x onerror=')
	await expect(page.getByLabel('Content of response B').locator('img')).toHaveCount(0)
	await expect(page.getByTestId('consensus')).toContainText('A is better')
	expect(await page.title()).not.toBe('pwned')

	const accessibility = await new AxeBuilder({ page }).include('main').analyze()
	expect(accessibility.violations.map((violation) => violation.id)).toEqual([])

	await page.getByRole('heading', { name: /Item item-1/ }).click()
	await page.keyboard.press('2')
	await expect(page.getByRole('radio', { name: /B is better/ })).toBeChecked()
	await page.keyboard.press('r')
	await expect(page.getByRole('radio', { name: /Significant/ })).toBeChecked()
	await page.getByLabel(/Note/).fill('B names its source; A guesses.')
	await page.keyboard.press('Control+Enter')

	await expect(page.getByRole('status').filter({ hasText: 'Decision recorded' })).toBeVisible()
	await expect(page.getByTestId('consensus')).toContainText('B is better (significant)')
	await expect(page.getByTestId('consensus')).toContainText('by adjudication')
	await expect(page.getByText('B names its source; A guesses.')).toBeVisible()

	const adjudication = await prisma.adjudication.findFirstOrThrow({ where: { itemId: first!.id } })
	expect(adjudication).toMatchObject({
		reviewerId: reviewer.id,
		ranking: [['r2'], ['r1']],
		strength: 3,
		note: 'B names its source; A guesses.',
	})
	expect(
		await prisma.auditEvent.count({ where: { action: 'item.adjudicated', targetId: first!.id, actorId: reviewer.id } }),
	).toBe(1)

	await page.getByRole('link', { name: 'Back to the queue' }).click()
	await expect(page.getByText('Nothing to review')).toBeVisible()
	await page.getByRole('button', { name: /Adjudicated \(1\)/ }).click()
	await expect(page.getByRole('link', { name: 'item-1' })).toBeVisible()
})

test('quality and leaderboard pages show the figures, flags and charts', async ({ page }) => {
	const admin = await loginAs(page, ['admin'])
	const annotators = await Promise.all([1, 2].map(() => makeUser(['annotator'])))
	const project = await makeProject({
		members: [...annotators, { id: admin.id, role: 'reviewer' }],
		items: 12,
		input: { overlap: 2, name: 'Quality tour' },
	})
	for (const annotator of annotators) {
		await judgeAll({
			slug: project.slug,
			annotator,
			decide: (assignment) => ({
				ranking: prefer(assignment, assignment.item.responses[0]!.id),
				strength: 2,
				activeMs: 1200,
			}),
		})
	}
	await open(page, `/projects/${project.slug}/quality`)
	await expect(page.getByRole('group', { name: "Krippendorff's α, choice" })).toContainText('n = 12 items')
	await expect(page.getByRole('table', { name: 'Annotator quality' })).toContainText('Too fast')
	await expect(page.getByRole('table', { name: 'Annotator quality' })).toContainText('Position bias')
	await expect(page.getByRole('table', { name: "Cohen's kappa between annotators" })).toBeVisible()
	await page.getByRole('button', { name: 'Recompute' }).click()
	await expect(page.getByRole('status').filter({ hasText: 'Recomputed' })).toBeVisible()
	const qualityAccessibility = await new AxeBuilder({ page }).include('main').analyze()
	expect(qualityAccessibility.violations.map((violation) => `${violation.id}: ${violation.nodes[0]?.target}`)).toEqual(
		[],
	)

	await page.getByRole('link', { name: 'Leaderboard' }).click()
	await expect(page.getByRole('table', { name: 'Model ratings, best first' })).toContainText('model-a')
	await expect(page.locator('[data-chart="ratings"] canvas')).toBeVisible()
	await expect(page.getByRole('table', { name: /Win rate of each model/ })).toBeVisible()
	const leaderboardAccessibility = await new AxeBuilder({ page }).include('main').analyze()
	expect(
		leaderboardAccessibility.violations.map((violation) => `${violation.id}: ${violation.nodes[0]?.target}`),
	).toEqual([])
	await page.getByRole('checkbox', { name: /Control for style/ }).check()
	await page.getByRole('button', { name: 'Apply' }).click()
	await expect(page).toHaveURL(/style=true/)
	await expect(page.getByRole('list', { name: 'Style and position coefficients' }).getByRole('listitem')).toHaveCount(4)
	await expect(page.getByRole('list', { name: 'Style and position coefficients' })).toContainText('length (tokens)')
	await expect(page.getByRole('table', { name: 'Model ratings, best first' })).toContainText('model-a')
	const download = page.waitForEvent('download')
	await page.getByRole('link', { name: 'ratings' }).click()
	expect((await download).suggestedFilename()).toMatch(new RegExp(`^${project.slug}-leaderboard-.*\\.csv$`))
})
