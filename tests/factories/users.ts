import type { Role } from '#app/generated/prisma/enums.ts'
import { createApiToken } from '#app/modules/auth/api-token.server.ts'
import { createSession } from '#app/modules/auth/session.server.ts'
import { createUser } from '#app/modules/users/users.server.ts'

let counter = 0
export const TEST_PASSWORD = 'test-password-123'

export async function makeUser({ roles = ['annotator'], email }: { roles?: Role[]; email?: string } = {}) {
	counter++
	return createUser({
		email: email ?? `${roles.join('-')}-${counter}-${Math.random().toString(36).slice(2, 8)}@test.local`,
		password: TEST_PASSWORD,
		roles,
		displayName: `Test ${roles.join('/')} ${counter}`,
	})
}

export async function makeUserWithToken({ roles = ['annotator'] }: { roles?: Role[] } = {}) {
	const user = await makeUser({ roles })
	const { token } = await createApiToken({ userId: user.id, name: 'test' })
	return { user, token }
}

export async function makeUserWithSession({ roles = ['annotator'] }: { roles?: Role[] } = {}) {
	const user = await makeUser({ roles })
	const session = await createSession({ userId: user.id })
	return { user, ...session, cookie: `quorum_session=${encodeURIComponent(session.token)}` }
}

export function apiRequest(
	path: string,
	{
		token,
		method = 'GET',
		body,
		headers,
	}: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
	const init: RequestInit = { method, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } }
	if (body !== undefined) {
		init.body = typeof body === 'string' ? body : JSON.stringify(body)
		;(init.headers as Record<string, string>)['Content-Type'] ??= 'application/json'
	}
	return new Request(`http://localhost${path}`, init)
}

/** Calls a React Router loader or action the way the framework does. */
export async function callRoute<R>(
	handler: (args: never) => Promise<R>,
	request: Request,
	params: Record<string, string> = {},
) {
	return handler({ request, params, context: undefined, unstable_pattern: '' } as never)
}
