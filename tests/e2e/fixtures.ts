import { readFileSync } from 'node:fs'
import { test as base, expect, type Page } from '@playwright/test'
import type { Role } from '#app/generated/prisma/enums.ts'
import { E2E_APP_PORT, E2E_URL_FILE } from './e2e-env.ts'

// The server process created a fresh database for this run and wrote its URL here.
process.env.DATABASE_URL = readFileSync(E2E_URL_FILE, 'utf8').trim()
process.env.LOG_LEVEL ??= 'warn'

const { createUser } = await import('#app/modules/users/users.server.ts')
const { createSession, SESSION_COOKIE } = await import('#app/modules/auth/session.server.ts')

export const PASSWORD = 'correct-horse-battery'
let counter = 0

export async function makeUser(roles: Role[]) {
	const email = `${roles.join('-')}-${Date.now()}-${process.pid}-${++counter}@e2e.test`
	const user = await createUser({ email, password: PASSWORD, roles, displayName: `E2E ${roles.join('/')}` })
	return { ...user, password: PASSWORD }
}

/** Logs in by writing a session straight into the database, as the app would after a login. */
export async function loginAs(page: Page, roles: Role[]) {
	const user = await makeUser(roles)
	const session = await createSession({ userId: user.id })
	await page.context().addCookies([
		{
			name: SESSION_COOKIE,
			value: session.token,
			domain: 'localhost',
			path: '/',
			httpOnly: true,
			sameSite: 'Lax',
			expires: Math.floor(session.expiresAt.getTime() / 1000),
		},
	])
	return user
}

/** Navigates and waits until React has hydrated, so key presses reach the page's handlers. */
export async function open(page: Page, path: string) {
	const response = await page.goto(path)
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' })
	return response
}

export const appOrigin = `http://localhost:${E2E_APP_PORT}`
export const test = base
export { expect }
