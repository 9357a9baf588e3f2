import AxeBuilder from '@axe-core/playwright'
import { prisma } from '#app/utils/db.server.ts'
import { addItems, makeProject } from '#tests/factories/projects.ts'
import { expect, loginAs, open, test } from './fixtures.ts'

test('an annotator completes pairwise items with the keyboard alone', async ({ page }) => {
	const annotator = await loginAs(page, ['annotator'])
	const project = await makeProject({ members: [annotator], items: 2, input: { criteria: [], flags: [] } })
	await open(page, `/projects/${project.slug}/annotate`)
	await expect(page.getByRole('heading', { name: 'Response A' })).toBeVisible()
	await expect(page.getByText('Keyboard')).toBeVisible()

	await page.keyboard.press('1')
	await expect(page.getByRole('radio', { name: /A is better/ })).toBeChecked()
	await page.keyboard.press('e')
	await expect(page.getByRole('radio', { name: /Clear/ })).toBeChecked()
	const firstItem = await page.getByText(/^item item-/).textContent()
	await page.keyboard.press('Enter')
	await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible()
	await expect(page.getByText(/^item item-/)).not.toHaveText(firstItem!)

	await page.keyboard.press('3')
	await page.keyboard.press('Enter')
	await expect(page.getByRole('heading', { name: 'No work left for you' })).toBeVisible()

	const judgments = await prisma.judgment.findMany({ where: { projectId: project.id }, orderBy: { createdAt: 'asc' } })
	expect(judgments).toHaveLength(2)
	expect(judgments[0]!.strength).toBe(2)
	expect(judgments[0]!.ranking).toEqual([[judgments[0]!.displayOrder[0]], [judgments[0]!.displayOrder[1]]])
	expect(judgments[1]!.ranking).toEqual([judgments[1]!.displayOrder])
	expect(judgments[0]!.activeMs).toBeGreaterThanOrEqual(0)

	await page.keyboard.press('u')
	await expect(page.getByRole('heading', { name: 'Revise your judgment' })).toBeVisible()
})

test('an annotator ranks four responses with the keyboard, including a tie', async ({ page }) => {
	const annotator = await loginAs(page, ['annotator'])
	const project = await makeProject({
		members: [annotator],
		items: 1,
		input: { taskType: 'ranking', useStrength: false, randomizeOrder: false },
	})
	await open(page, `/projects/${project.slug}/annotate`)
	await expect(page.getByRole('list', { name: 'Ranking, best first' })).toBeVisible()
	// Focus response 3 and move it to the top, then tie response 4 with the one above it.
	await page.keyboard.press('3')
	await page.keyboard.press('[')
	await page.keyboard.press('[')
	await page.keyboard.press('4')
	await page.keyboard.press('t')
	await page.keyboard.press('Enter')
	await expect(page.getByRole('heading', { name: 'No work left for you' })).toBeVisible()
	const judgment = await prisma.judgment.findFirstOrThrow({ where: { projectId: project.id } })
	expect(judgment.ranking).toEqual([['r3'], ['r1'], ['r2', 'r4']])
})

test('a ranking left in the shown order is submitted only after the annotator confirms it', async ({ page }) => {
	const annotator = await loginAs(page, ['annotator'])
	const project = await makeProject({
		members: [annotator],
		items: 1,
		input: { taskType: 'ranking', useStrength: false, randomizeOrder: false },
	})
	await open(page, `/projects/${project.slug}/annotate`)
	await expect(page.getByRole('list', { name: 'Ranking, best first' })).toBeVisible()
	await page.keyboard.press('Enter')
	await expect(
		page
			.getByRole('status')
			.filter({ hasText: 'Move a response, or confirm that the shown order is your ranking (O)' }),
	).toBeVisible()
	expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(0)
	await page.keyboard.press('o')
	await expect(page.getByRole('button', { name: /The shown order is my ranking/ })).toHaveAttribute(
		'aria-pressed',
		'true',
	)
	await page.keyboard.press('Enter')
	await expect(page.getByRole('heading', { name: 'No work left for you' })).toBeVisible()
	const judgment = await prisma.judgment.findFirstOrThrow({ where: { projectId: project.id } })
	expect(judgment.ranking).toEqual([['r1'], ['r2'], ['r3'], ['r4']])
})

test('a reload mid-item keeps the draft', async ({ page }) => {
	const annotator = await loginAs(page, ['annotator'])
	const project = await makeProject({ members: [annotator], items: 1, input: { rationale: 'optional' } })
	await open(page, `/projects/${project.slug}/annotate`)
	await page.keyboard.press('2')
	await page.keyboard.press('w')
	await page.getByLabel(/Rationale/).fill('B cites its sources')
	await page.reload()
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' })
	await expect(page.getByRole('radio', { name: /B is better/ })).toBeChecked()
	await expect(page.getByRole('radio', { name: /Slight/ })).toBeChecked()
	await expect(page.getByLabel(/Rationale/)).toHaveValue('B cites its sources')
	await page.getByRole('button', { name: /Submit/ }).click()
	await expect(page.getByRole('heading', { name: 'No work left for you' })).toBeVisible()
	const judgment = await prisma.judgment.findFirstOrThrow({ where: { projectId: project.id } })
	expect(judgment.rationale).toBe('B cites its sources')
	expect(judgment.strength).toBe(1)
})

test('an expired session keeps the selection and the judgment until the annotator logs in again', async ({ page }) => {
	const annotator = await loginAs(page, ['annotator'])
	const project = await makeProject({ members: [annotator], items: 1 })
	await open(page, `/projects/${project.slug}/annotate`)
	const cookies = await page.context().cookies()
	await page.context().clearCookies()
	await page.keyboard.press('1')
	await page.keyboard.press('e')
	// The autosave a moment later is refused, and the page says so.
	const expired = page.getByRole('alert').filter({ hasText: 'Your session has expired' })
	await expect(expired).toBeVisible()

	// The submission is refused too; the outbox keeps it and says why nothing new is claimed.
	const refused = page.waitForResponse(
		(response) =>
			response.request().method() === 'POST' && new URL(response.url()).pathname.endsWith('/annotate/submit'),
	)
	await page.keyboard.press('Enter')
	expect((await refused).status()).toBe(401)
	await expect(page.getByRole('heading', { name: '1 judgment waiting to be sent' })).toBeVisible()
	await expect(page.getByText('Your session has expired: log in again in another tab and they are sent.')).toBeVisible()
	expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(0)

	await expect(page.getByRole('button', { name: 'Retry now' }).first()).toBeVisible()
	// Logged in again: the outbox's next retry sends the judgment by itself, within seconds. (The
	// button is clicked in outbox.spec.ts, where no retry of the page's own can beat the click.)
	await page.context().addCookies(cookies)
	await expect(page.getByRole('heading', { name: 'No work left for you' })).toBeVisible({ timeout: 45_000 })
	await expect(expired).toBeHidden()
	const judgment = await prisma.judgment.findFirstOrThrow({ where: { projectId: project.id } })
	expect(judgment.strength).toBe(2)
})

test('hostile model content stays inert, and the workspace passes axe', async ({ page }) => {
	const annotator = await loginAs(page, ['annotator'])
	const project = await makeProject({ members: [annotator], input: { randomizeOrder: false } })
	const hostile = [
		'Here is how to sanitize HTML.',
		"<script>alert('xss')</script>",
		'<img src=x onerror="alert(1)">',
		'[click me](javascript:alert(1))',
		'<iframe src="https://example.com"></iframe>',
		'<a href="#" onclick="document.title=\'pwned\'">link</a>',
	].join('\n\n')
	await addItems({
		projectId: project.id,
		items: [
			{
				externalId: 'hostile',
				context: { prompt: 'How do I sanitize <b>HTML</b>?' },
				responses: [
					{ id: 'r1', model: null, content: 'Use a sanitizer library.', metadata: null },
					{ id: 'r2', model: null, content: hostile, metadata: null },
				],
				metadata: null,
				gold: null,
				contentHash: 'hostile',
			},
		],
	})
	const dialogs: string[] = []
	page.on('dialog', (dialog) => {
		dialogs.push(dialog.message())
		void dialog.dismiss()
	})
	const external: string[] = []
	page.on('request', (request) => {
		if (!request.url().startsWith('http://localhost')) external.push(request.url())
	})
	await open(page, `/projects/${project.slug}/annotate`)
	const responseB = page.getByRole('region', { name: 'Response B' })
	await expect(responseB.getByText("<script>alert('xss')</script>")).toBeVisible()
	await expect(responseB.getByText('<iframe src="https://example.com"></iframe>')).toBeVisible()
	expect(await responseB.locator('script, iframe, img, style').count()).toBe(0)
	expect(await responseB.locator('[onerror], [onclick]').count()).toBe(0)
	const link = responseB.getByText('click me')
	expect(await link.evaluate((element) => element.closest('a')?.getAttribute('href') ?? null)).toBeNull()
	await link.click()
	await responseB.getByText('link').click()
	expect(dialogs).toEqual([])
	expect(await page.title()).not.toBe('pwned')
	expect(external).toEqual([])

	const results = await new AxeBuilder({ page }).analyze()
	const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
	expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
})

test('a paused project says so', async ({ page }) => {
	const annotator = await loginAs(page, ['annotator'])
	const project = await makeProject({ members: [annotator], items: 1, input: { status: 'paused' } })
	await open(page, `/projects/${project.slug}/annotate`)
	await expect(page.getByRole('heading', { name: 'Project paused' })).toBeVisible()
})
