import { createServer } from 'vite'
import type { ServerBuild } from 'react-router'
import { exitWithError, loadEnvOrExit, onShutdown, prepareDatabase } from './start.ts'
import { createApp } from './app.ts'

process.env.NODE_ENV ??= 'development'

try {
	const env = loadEnvOrExit()
	const database = await prepareDatabase(env)
	const vite = await createServer({ server: { middlewareMode: true } })
	const app = createApp({
		env,
		mode: 'development',
		viteMiddleware: vite.middlewares,
		build: () => vite.ssrLoadModule('virtual:react-router/server-build') as Promise<ServerBuild>,
	})
	const server = app.listen(env.PORT, env.HOST, () =>
		process.stdout.write(`Quorum (dev) at http://localhost:${env.PORT}\n`),
	)
	onShutdown(async () => {
		server.close()
		await vite.close()
		await database.stop()
	})
} catch (error) {
	exitWithError(error)
}
