import type { Route } from './+types/not-found'

export async function loader(_args: Route.LoaderArgs) {
	throw new Response('Not found', { status: 404 })
}

export default function NotFound() {
	return null
}
