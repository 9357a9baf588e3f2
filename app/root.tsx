import { useEffect } from 'react'
import {
	isRouteErrorResponse,
	Links,
	Meta,
	Outlet,
	Scripts,
	ScrollRestoration,
	data,
	useLoaderData,
	useRouteError,
	useRouteLoaderData,
	type ShouldRevalidateFunctionArgs,
} from 'react-router'
import type { Route } from './+types/root'
import './app.css'
import { AppShell } from './components/app-shell.tsx'
import { requestContext } from './context.ts'
import { getUser } from './modules/auth/require.server.ts'
import { route } from './utils/route.server.ts'

export const links: Route.LinksFunction = () => [{ rel: 'icon', href: '/favicon.ico' }]

export const loader = route(async ({ request, context }: Route.LoaderArgs) => {
	const user = await getUser(request)
	const { cspNonce } = context.get(requestContext)
	return data({ user, cspNonce })
})

// The workspace's background posts (drafts, renewals) change nothing the layout shows; reloading
// it after each would cost a round trip, and fail the whole page while the browser is offline.
export function shouldRevalidate({ formAction, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
	if (formAction && /\/annotate$/.test(formAction)) return false
	return defaultShouldRevalidate
}

export function Layout({ children }: { children: React.ReactNode }) {
	const rootData = useRouteLoaderData<typeof loader>('root')
	const nonce = rootData?.cspNonce
	return (
		<html lang="en">
			<head>
				<meta charSet="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<Meta />
				<Links />
			</head>
			<body className="min-h-screen">
				{children}
				<ScrollRestoration nonce={nonce} />
				<Scripts nonce={nonce} />
			</body>
		</html>
	)
}

export default function App() {
	const { user } = useLoaderData<typeof loader>()
	// Lets end-to-end tests (and scripts) wait until the page responds to input.
	useEffect(() => {
		document.documentElement.dataset.hydrated = 'true'
	}, [])
	return (
		<AppShell user={user}>
			<Outlet />
		</AppShell>
	)
}

const statusPages: Record<number, { title: string; text: string }> = {
	400: { title: 'Bad request', text: 'The request could not be understood. Check what you entered and try again.' },
	401: { title: 'Please log in', text: 'You need to be logged in to see this page.' },
	403: {
		title: 'Access denied',
		text: 'Your account does not have permission to view this page. Ask an admin if you need access.',
	},
	404: {
		title: 'Page not found',
		text: 'There is nothing here. The link may be wrong, or the thing it pointed to was removed.',
	},
	500: {
		title: 'Something went wrong',
		text: 'An unexpected error happened on our side. It has been logged; please try again.',
	},
	503: {
		title: 'Quorum is briefly unavailable',
		text: 'Its database cannot be reached right now. Nothing you saved is lost; try again in a few seconds.',
	},
}

export function ErrorBoundary() {
	const error = useRouteError()
	const rootData = useRouteLoaderData<typeof loader>('root')
	let status = 500
	let detail: string | undefined
	if (isRouteErrorResponse(error)) {
		status = error.status
		const payload = error.data as unknown
		if (typeof payload === 'string') detail = payload
		else if (payload && typeof payload === 'object' && 'message' in payload)
			detail = String((payload as { message: unknown }).message)
	}
	const page = statusPages[status] ?? { title: `Error ${status}`, text: 'The request could not be completed.' }
	return (
		<AppShell user={rootData?.user ?? null}>
			<main className="mx-auto max-w-xl px-6 py-20 text-center" data-status={status}>
				<p className="text-sm font-semibold text-indigo-600">{status}</p>
				<h1 className="mt-2 text-3xl font-bold tracking-tight">{page.title}</h1>
				<p className="mt-4 text-slate-600">{page.text}</p>
				{detail && detail !== page.title && status !== 500 && status !== 503 ? (
					<p className="mt-2 text-slate-700">{detail}</p>
				) : null}
				<div className="mt-8 flex justify-center gap-3">
					<a className="btn-primary" href="/">
						Go home
					</a>
					{status === 401 ? (
						<a className="btn-secondary" href="/login">
							Log in
						</a>
					) : null}
				</div>
			</main>
		</AppShell>
	)
}
