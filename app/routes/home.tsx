import { redirect } from 'react-router'
import type { Route } from './+types/home'
import { requireUser } from '#app/modules/auth/require.server.ts'

export async function loader({ request }: Route.LoaderArgs) {
	await requireUser(request)
	return redirect('/projects')
}
