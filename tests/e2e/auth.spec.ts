import { appOrigin, expect, loginAs, makeUser, PASSWORD, test } from './fixtures.ts'

test('an admin logs in through the form and logs out', async ({ page }) => {
	const admin = await makeUser(['admin'])
	await page.goto('/admin/users')
	await expect(page).toHaveURL(/\/login\?redirectTo=%2Fadmin%2Fusers/)
	await page.getByLabel('Email').fill(admin.email)
	await page.getByLabel('Password').fill(PASSWORD)
	await page.getByRole('button', { name: 'Log in' }).click()
	await expect(page).toHaveURL(/\/admin\/users/)
	await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible()
	await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' })).toBeVisible()

	await page.getByRole('button', { name: 'Log out' }).click()
	await expect(page).toHaveURL(/\/login$/)
	await page.goto('/admin/users')
	await expect(page).toHaveURL(/\/login/)
})

test('the demo admin logs in with the demo password', async ({ page }) => {
	await page.goto('/login')
	await page.getByLabel('Email').fill('admin@quorum.local')
	await page.getByLabel('Password').fill('quorum-demo')
	await page.getByRole('button', { name: 'Log in' }).click()
	await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible()
	await expect(page.getByText('Helpful & Harmless — pairwise')).toBeVisible()
})

test('a wrong password shows an error and keeps the email', async ({ page }) => {
	const user = await makeUser(['annotator'])
	await page.goto('/login')
	await page.getByLabel('Email').fill(user.email)
	await page.getByLabel('Password').fill('not-the-password')
	await page.getByRole('button', { name: 'Log in' }).click()
	await expect(page.getByRole('alert')).toHaveText('Invalid email or password')
	await expect(page.getByLabel('Email')).toHaveValue(user.email)
	await expect(page).toHaveURL(/\/login/)
})

test('an invited person accepts the invite by setting a password, and the link is single-use', async ({
	page,
	browser,
}) => {
	await loginAs(page, ['admin'])
	await page.goto('/admin/users')
	const email = `invitee-${Date.now()}@e2e.test`
	await page.getByLabel('Email').fill(email)
	await page.getByRole('button', { name: 'Create invite link' }).click()
	const link = await page.getByLabel('Invite link').inputValue()
	expect(link).toContain('/invite/')

	const invitee = await browser.newContext()
	const inviteePage = await invitee.newPage()
	await inviteePage.goto(link)
	await expect(inviteePage.getByText(email)).toBeVisible()
	await inviteePage.getByLabel('Display name').fill('New Person')
	await inviteePage.getByLabel('Password', { exact: true }).fill('a-long-password')
	await inviteePage.getByLabel('Confirm password').fill('a-long-password')
	await inviteePage.getByRole('button', { name: 'Create account' }).click()
	await expect(inviteePage.getByRole('heading', { name: 'Projects' })).toBeVisible()
	await expect(inviteePage.getByText('New Person')).toBeVisible()

	await inviteePage.getByRole('button', { name: 'Log out' }).click()
	await inviteePage.goto(link)
	await expect(
		inviteePage.getByRole('heading', { name: 'Conflict' }).or(inviteePage.getByText('already been used')),
	).toBeVisible()
	await invitee.close()
})

test('an annotator gets the 403 page on admin pages', async ({ page }) => {
	await loginAs(page, ['annotator'])
	const response = await page.goto('/admin/users')
	expect(response?.status()).toBe(403)
	await expect(page.getByRole('heading', { name: 'Access denied' })).toBeVisible()
	await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' })).toHaveCount(0)
})

test('an unknown page shows the 404 page', async ({ page }) => {
	await loginAs(page, ['annotator'])
	const response = await page.goto('/no/such/page')
	expect(response?.status()).toBe(404)
	await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible()
})

test('a cross-site POST is refused even with a valid session', async ({ page }) => {
	const user = await loginAs(page, ['admin'])
	const cookies = await page.context().cookies()
	const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ')
	const refused = await page.request.post(`${appOrigin}/settings/tokens`, {
		headers: {
			Cookie: cookie,
			Origin: 'https://evil.example',
			'Sec-Fetch-Site': 'cross-site',
			'Content-Type': 'application/x-www-form-urlencoded',
		},
		data: 'intent=create&name=stolen',
		maxRedirects: 0,
	})
	expect(refused.status()).toBe(403)
	expect(await refused.text()).toContain('Cross-site request refused')

	await page.goto('/settings/tokens')
	await expect(page.getByText('No tokens yet')).toBeVisible()
	expect(user.email).toContain('@e2e.test')
})

test('pages and scripts are served compressed; the API is not', async ({ page, request }) => {
	const scripts: string[] = []
	page.on('response', (response) => {
		if (response.request().resourceType() === 'script') scripts.push(response.url())
	})
	await page.goto('/login')
	await expect(page.getByLabel('Email')).toBeVisible()
	expect(scripts.length).toBeGreaterThan(0)

	const html = await request.get('/login', { headers: { 'Accept-Encoding': 'gzip' } })
	expect(html.headers()['content-encoding']).toBe('gzip')
	expect(await html.text()).toContain('Log in')
	// Below 1 KB compression does not pay, so only the larger scripts are compressed.
	const encodings = await Promise.all(
		scripts.map(async (url) => {
			const script = await request.get(url, { headers: { 'Accept-Encoding': 'gzip' } })
			return { bytes: (await script.body()).length, encoding: script.headers()['content-encoding'] }
		}),
	)
	const large = encodings.filter((script) => script.bytes > 1024)
	expect(large.length).toBeGreaterThan(0)
	for (const script of large) expect(script.encoding).toBe('gzip')

	const api = await request.get('/api/v1/openapi.json', { headers: { 'Accept-Encoding': 'gzip' } })
	expect(api.status()).toBe(200)
	expect(api.headers()['content-encoding']).toBeUndefined()
})
