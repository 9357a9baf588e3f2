import { redirect } from 'react-router'
import type { Route } from './+types/logout'
import { logout } from '#app/modules/auth/login.server.ts'
import { getSession } from '#app/modules/auth/require.server.ts'
import { clearSessionCookie } from '#app/modules/auth/session.server.ts'
import { clientIp } from '#app/utils/request.server.ts'

export async function loader() {
	return redirect('/')
}

export async function action({ request }: Route.ActionArgs) {
	const session = await getSession(request)
	if (session) await logout({ sessionId: session.sessionId, userId: session.user.id, ip: clientIp(request) })
	return redirect('/login', { headers: { 'Set-Cookie': clearSessionCookie() } })
}
