import './production-env.ts'
import {
	closePools,
	exitWithError,
	loadEnvOrExit,
	onShutdown,
	prepareDatabase,
	refuseDemoAccounts,
	serve,
} from './start.ts'

try {
	const env = loadEnvOrExit()
	const database = await prepareDatabase(env)
	await refuseDemoAccounts()
	const server = await serve({ env })
	onShutdown(async () => {
		await server.close()
		await closePools()
		await database.stop()
	})
} catch (error) {
	exitWithError(error)
}
