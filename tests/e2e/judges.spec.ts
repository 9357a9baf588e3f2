import AxeBuilder from '@axe-core/playwright'
import { prisma } from '#app/utils/db.server.ts'
import { itemNumber, judgeAll, prefer } from '#tests/factories/analytics.ts'
import { judgeItems } from '#tests/factories/judges.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { expect, loginAs, makeUser, open, test } from './fixtures.ts'

const ranked = (best: string, shown: string[]) => [[best], shown.filter((key) => key !== best)]

test('the quality page measures each AI judge, the review page shows its verdicts, the dashboard its savings', async ({
	page,
}) => {
	await loginAs(page, ['admin'])
	const annotators = await Promise.all([1, 2].map(() => makeUser(['annotator'])))
	const project = await makeProject({
		members: annotators,
		items: 12,
		input: { overlap: 2, randomizeOrder: true, name: 'Judged project' },
	})
	for (const annotator of annotators)
		await judgeAll({
			slug: project.slug,
			annotator,
			decide: (assignment) => ({
				ranking: prefer(assignment, itemNumber(assignment) % 2 ? 'r1' : 'r2'),
				strength: 1,
			}),
		})
	const items = await prisma.item.findMany({ where: { projectId: project.id }, orderBy: { seq: 'asc' } })
	const itemIds = items.map((item) => item.id)

	await open(page, `/projects/${project.slug}/quality`)
	await expect(page.getByRole('heading', { name: 'AI judges' })).toBeVisible()
	await expect(page.getByText('No AI judge has judged this project yet.')).toBeVisible()
	await expect(page.getByRole('link', { name: 'Run a judge' })).toHaveAttribute(
		'href',
		`/projects/${project.slug}/judge`,
	)

	await judgeItems({
		projectId: project.id,
		itemIds,
		name: 'First-shown judge',
		verdict: (shown) => ({
			ranking: ranked(shown[0]!, shown),
			confidence: 0.9,
			rationale: 'The first one reads well.',
		}),
	})
	await judgeItems({
		projectId: project.id,
		itemIds,
		name: 'Longer judge',
		verdict: (shown) => ({ ranking: ranked('r2', shown), confidence: 0.8 }),
	})
	await page.getByRole('button', { name: /Recompute/ }).click()
	const positional = page.getByRole('article', { name: 'AI judge First-shown judge' })
	await expect(positional).toBeVisible()
	await expect(positional.getByRole('group', { name: 'Position inconsistency' })).toContainText('100.0%')
	await expect(positional).toContainText('Position bias:')
	const lengthy = page.getByRole('article', { name: 'AI judge Longer judge' })
	await expect(lengthy).toContainText('Length bias:')
	await expect(lengthy.getByRole('group', { name: 'Percent agreement with the human consensus' })).toContainText(
		'50.0%',
	)
	await expect(lengthy).toContainText('95% CI')
	// The annotator table stays people's.
	await expect(page.getByRole('table', { name: 'Annotator quality' })).not.toContainText('judge')
	const accessibility = await new AxeBuilder({ page }).include('section[aria-labelledby="judges-heading"]').analyze()
	expect(accessibility.violations.map((violation) => violation.id)).toEqual([])

	await open(page, `/projects/${project.slug}/review/${items[0]!.id}`)
	const verdicts = page.getByTestId('judge-verdict')
	await expect(verdicts).toHaveCount(2)
	await expect(verdicts.filter({ hasText: 'First-shown judge' })).toContainText('Position-inconsistent')
	await expect(verdicts.filter({ hasText: 'First-shown judge' })).toContainText('The first one reads well.')
	await expect(verdicts.filter({ hasText: 'Longer judge' })).toContainText('B is better')
	await expect(verdicts.filter({ hasText: 'Longer judge' })).toContainText('confidence 80%')
	const reviewAccessibility = await new AxeBuilder({ page })
		.include('section[aria-labelledby="judges-heading"]')
		.analyze()
	expect(reviewAccessibility.violations.map((violation) => violation.id)).toEqual([])

	await prisma.item.updateMany({ where: { id: { in: itemIds.slice(0, 3) } }, data: { targetCount: 1 } })
	await prisma.project.update({
		where: { id: project.id },
		data: { judging: { routing: { endpointId: crypto.randomUUID(), confidence: 0.8, overlapWhenJudgeSure: 1 } } },
	})
	await open(page, `/projects/${project.slug}`)
	await expect(page.getByTestId('routing-saved')).toHaveText('3 human judgments saved')
	await expect(page.getByRole('region', { name: 'Hybrid routing' })).toContainText('consistent in both orders')
	const dashboardAccessibility = await new AxeBuilder({ page })
		.include('section[aria-labelledby="routing-heading"]')
		.analyze()
	expect(dashboardAccessibility.violations.map((violation) => violation.id)).toEqual([])
})
