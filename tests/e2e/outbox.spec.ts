import type { Page, Route } from '@playwright/test'
import { prisma } from '#app/utils/db.server.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { expect, loginAs, makeUser, open, test } from './fixtures.ts'

const itemLabel = (page: Page) => page.getByText(/^item item-/)

async function judge(page: Page) {
	const label = await itemLabel(page).textContent()
	await page.keyboard.press('1')
	await page.keyboard.press('e')
	await expect(page.getByRole('radio', { name: /Clear/ })).toBeChecked()
	await page.keyboard.press('Enter')
	return label!
}

test('judgments survive going offline, failing gateways and a reload, and are stored exactly once', async ({
	page,
	context,
}) => {
	const annotator = await loginAs(page, ['annotator'])
	const project = await makeProject({ members: [annotator], items: 3, input: { criteria: [], flags: [] } })
	const submitUrl = `**/projects/${project.slug}/annotate/submit`
	const stored = () => prisma.judgment.count({ where: { projectId: project.id } })
	// Every key the page tried to send, whether the request got through or not.
	const attempts: string[] = []
	page.on('request', (request) => {
		if (request.url().endsWith('/annotate/submit'))
			attempts.push((request.postDataJSON() as { judgment: { idempotencyKey: string } }).judgment.idempotencyKey)
	})
	const status = page.getByTestId('outbox-status')
	const waiting = page.getByRole('heading', { name: '1 judgment waiting to be sent' })

	await open(page, `/projects/${project.slug}/annotate`)
	await expect(page.getByRole('heading', { name: 'Response A' })).toBeVisible()

	// 1. The browser goes offline. A draft save fails on the way, and the workspace stays.
	await context.setOffline(true)
	const draftFailed = page.waitForEvent(
		'requestfailed',
		(request) => request.method() === 'POST' && request.url().includes('/annotate'),
	)
	await page.keyboard.press('1')
	await draftFailed
	await expect(page.getByRole('heading', { name: 'Response A' })).toBeVisible()
	const first = await judge(page)
	await expect(waiting).toBeVisible()
	await expect(status).toContainText('Offline: 1 judgment waiting')
	await expect(page.getByText('No new item is claimed until they are sent')).toBeVisible()
	expect(await stored()).toBe(0)
	await context.setOffline(false)
	await expect(itemLabel(page)).not.toHaveText(first)
	await expect(status).toHaveText('All judgments saved')
	expect(await stored()).toBe(1)

	// 2. A gateway answers 502, then connections drop mid-request. The page retries by itself.
	let failures = 0
	const flaky = (route: Route) =>
		++failures === 1
			? route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>502 Bad Gateway</h1>' })
			: route.abort('connectionreset')
	await page.route(submitUrl, flaky)
	const second = await judge(page)
	await expect(waiting).toBeVisible()
	await expect(status).toContainText('Cannot reach the server: 1 judgment waiting')
	await page.getByRole('button', { name: 'Retry now' }).first().click()
	await expect.poll(() => failures).toBeGreaterThanOrEqual(3)
	await expect(waiting).toBeVisible()
	expect(await stored()).toBe(1)
	await page.unroute(submitUrl, flaky)
	// The next attempt comes on the outbox's backoff, a few seconds at most after three failures.
	await expect(itemLabel(page)).not.toHaveText(second, { timeout: 30_000 })
	expect(await stored()).toBe(2)

	// 3. The last one waits behind a failing gateway while the page reloads.
	const badGateway = (route: Route) => route.fulfill({ status: 502, body: 'Bad Gateway' })
	await page.route(submitUrl, badGateway)
	const third = await judge(page)
	await expect(waiting).toBeVisible()
	await page.reload()
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' })
	await expect(waiting).toBeVisible()
	await expect(itemLabel(page)).toHaveCount(0)
	expect(await stored()).toBe(2)
	await page.unroute(submitUrl, badGateway)
	await expect(page.getByRole('heading', { name: 'No work left for you' })).toBeVisible({ timeout: 30_000 })

	const judgments = await prisma.judgment.findMany({ where: { projectId: project.id }, include: { item: true } })
	expect(judgments).toHaveLength(3)
	expect(new Set(judgments.map((j) => j.itemId)).size).toBe(3)
	expect(judgments.map((j) => `item ${j.item.externalId}`).sort()).toEqual([first, second, third].sort())
	// Each judgment was retried under the one key it was stored with.
	const keys = judgments.map((j) => j.idempotencyKey!)
	expect(new Set(attempts)).toEqual(new Set(keys))
	expect(attempts.length).toBeGreaterThan(3)
	expect(await prisma.judgmentRevision.count({ where: { judgmentId: { in: judgments.map((j) => j.id) } } })).toBe(3)
})

test('a judgment whose lease expired while it waited, on an item others completed, is kept as not needed', async ({
	page,
	context,
}) => {
	const annotator = await loginAs(page, ['annotator'])
	const other = await makeUser(['annotator'])
	const project = await makeProject({
		members: [annotator, other],
		items: 1,
		input: { overlap: 1, criteria: [], flags: [] },
	})
	await open(page, `/projects/${project.slug}/annotate`)
	await expect(page.getByRole('heading', { name: 'Response A' })).toBeVisible()

	await context.setOffline(true)
	const label = await judge(page)
	await expect(page.getByRole('heading', { name: '1 judgment waiting to be sent' })).toBeVisible()

	// Meanwhile the lease runs out and someone else fills the item.
	await prisma.lease.updateMany({
		where: { projectId: project.id, userId: annotator.id },
		data: { expiresAt: new Date(Date.now() - 60_000) },
	})
	const { claimNext } = await import('#app/modules/assignments/claim-next.server.ts')
	const { submitJudgment } = await import('#app/modules/assignments/submit-judgment.server.ts')
	const user = { id: other.id, email: other.email, displayName: other.displayName, roles: other.roles }
	const assignment = await claimNext({ slug: project.slug, user })
	expect(assignment).not.toBeNull()
	await submitJudgment({
		leaseId: assignment!.lease.id,
		user,
		input: { ranking: [assignment!.item.responses.map((r) => r.id)], idempotencyKey: crypto.randomUUID() },
	})

	await context.setOffline(false)
	const notNeeded = page.getByRole('list', { name: 'Judgments not saved' }).getByRole('listitem')
	await expect(notNeeded).toContainText(`Not needed: ${label.replace(/^item/, 'Item')}`)
	await expect(notNeeded).toContainText('already has all the judgments it needs')
	await expect(page.getByRole('heading', { name: 'No work left for you' })).toBeVisible()
	await page.reload()
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' })
	await expect(notNeeded).toHaveCount(1)
	await notNeeded.getByRole('button', { name: 'Dismiss' }).click()
	await expect(notNeeded).toHaveCount(0)

	const judgments = await prisma.judgment.findMany({ where: { projectId: project.id } })
	expect(judgments.map((j) => j.userId)).toEqual([other.id])
})
