import type { AddressInfo } from 'node:net'
import type { ServerBuild } from 'react-router'
import { handleError } from '#app/entry.server.tsx'
import { createApp } from '../../../server/app.ts'
import { parseEnv } from '#app/utils/env.server.ts'

type Handler = (args: { request: Request }) => Promise<Response> | Response

/**
 * The real Express app (headers, limits, logging, proxy trust) in front of a one-route build
 * whose loader and action are the test's, on a free port.
 */
export async function startHttpApp({
	env = {},
	mode = 'production',
	loader = ({ request }) => Response.json({ ip: request.headers.get('x-quorum-client-ip') }),
	action = async ({ request }) => Response.json({ bytes: (await request.arrayBuffer()).byteLength }),
}: { env?: Record<string, string>; mode?: 'production' | 'development'; loader?: Handler; action?: Handler } = {}) {
	const build = {
		entry: { module: { default: () => new Response('no documents here', { status: 500 }), handleError } },
		routes: {
			root: { id: 'root', path: '', module: {} },
			'routes/echo': { id: 'routes/echo', parentId: 'root', path: '*', module: { loader, action } },
		},
		assets: { entry: { module: '', imports: [] }, routes: {}, url: '', version: 'test' },
		publicPath: '/',
		assetsBuildDirectory: 'build/client',
		future: {},
		ssr: true,
		isSpaMode: false,
		prerender: [],
		routeDiscovery: { mode: 'lazy', manifestPath: '/__manifest' },
		basename: '/',
	} as unknown as ServerBuild
	const app = createApp({ env: parseEnv({ ...env }), build, mode, clientDir: '/nonexistent' })
	const server = app.listen(0, '127.0.0.1')
	await new Promise<void>((resolve) => server.once('listening', () => resolve()))
	const { port } = server.address() as AddressInfo
	return {
		url: `http://127.0.0.1:${port}`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	}
}
