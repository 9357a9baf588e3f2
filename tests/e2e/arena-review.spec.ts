import { createComparisonJudgment, makeComparisonProject } from '#tests/factories/comparison.ts'
import { prisma } from '#app/utils/db.server.ts'
import { expect, loginAs, makeUser, open, test } from './fixtures.ts'

test('an arena project: items show models and battles per pair, the leaderboard says what it left out, a reviewer settles one pair', async ({
	page,
}) => {
	const reviewer = await loginAs(page, ['admin', 'reviewer'])
	const annotators = await Promise.all([1, 2, 3].map(() => makeUser(['annotator'])))
	const project = await makeComparisonProject({
		members: [...annotators, { id: reviewer.id, role: 'reviewer' }],
		items: [
			{
				externalId: 'arena-1',
				prompt: 'Name the capital of France.',
				responses: [
					{ key: 'r1', model: 'alpha', content: 'Paris.' },
					{ key: 'r2', model: 'beta', content: 'Lyon.' },
					{ key: 'r3', model: 'gamma', content: 'As a model made by Gamma Labs, I say Paris.', selfIdentifies: true },
				],
			},
		],
		input: { overlap: 3, useStrength: false, name: 'Arena review' },
	})
	const judge = (i: number, shown: [string, string], winner: string) =>
		createComparisonJudgment({
			projectId: project.id,
			externalId: 'arena-1',
			userId: annotators[i]!.id,
			shown,
			outcome: { winner },
			rationale: `reason ${i}`,
			// A minute apart, so that the review page's order by time is this order.
			createdAt: new Date(Date.UTC(2026, 11, 1, 12, i)),
		})
	await judge(0, ['r2', 'r1'], 'r1')
	await judge(1, ['r1', 'r2'], 'r2')
	await judge(2, ['r3', 'r1'], 'r3')

	await open(page, `/projects/${project.slug}/items`)
	await expect(page.getByRole('list', { name: 'Models' })).toContainText('alpha')
	await expect(page.getByRole('list', { name: 'Models' })).toContainText('gamma')
	await expect(page.getByTestId('item-battles')).toContainText('r1 vs r2: 2 (1–1)')
	await expect(page.getByTestId('item-battles')).toContainText('r1 vs r3: 1 (0–1)')

	await open(page, `/projects/${project.slug}/leaderboard`)
	await expect(page.getByTestId('self-identified-note')).toContainText(
		'1 battle was left out because a response shown names its own model or vendor',
	)

	await open(page, `/projects/${project.slug}/review`)
	await expect(page.getByTestId('queue-pair')).toHaveText('pair r1 vs r2')
	await page.getByRole('link', { name: 'arena-1' }).click()
	await expect(page.getByRole('heading', { name: /Item arena-1/ })).toBeVisible()
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' })
	await expect(page.getByTestId('judgment-pair')).toHaveText([' · pair 1 vs 2', ' · pair 1 vs 2', ' · pair 1 vs 3'])
	await expect(page.getByRole('heading', { name: 'Consensus on 1 vs 2' })).toBeVisible()

	await page.getByRole('heading', { name: /Item arena-1/ }).click()
	await page.keyboard.press('1')
	await expect(page.getByRole('radio', { name: /1 is better/ })).toBeChecked()
	await page.getByLabel(/Note/).fill('Paris is the capital.')
	await page.keyboard.press('Control+Enter')
	await expect(page.getByRole('status').filter({ hasText: 'Decision recorded' })).toBeVisible()
	await expect(page.getByTestId('consensus')).toContainText('1 is better')
	await expect(page.getByTestId('consensus')).toContainText('by adjudication')
	const adjudication = await prisma.adjudication.findFirstOrThrow({
		where: { item: { projectId: project.id } },
	})
	expect(adjudication.ranking).toEqual([['r1'], ['r2']])
	await expect(page.getByTestId('comparison-pairs')).toContainText('1 vs 3')
})
