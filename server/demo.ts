import './production-env.ts'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { DEMO_DATA_DIR, demoEnvironment } from './demo-env.ts'
import { buildDirectory, exitWithError, loadEnvOrExit, onShutdown, prepareDatabase, serve } from './start.ts'

// The demo always runs on its own embedded database, so its users can never land in a real one.
const demo = demoEnvironment(process.env)
for (const note of demo.notes) process.stderr.write(`${note}\n`)
for (const name of ['DATABASE_URL', 'EXPORT_DIR'] as const) delete process.env[name]
Object.assign(process.env, demo.env)

try {
	const env = loadEnvOrExit()
	if (!existsSync(path.join(buildDirectory(), 'server/index.js'))) {
		process.stdout.write('Building Quorum (first run only)…\n')
		const build = spawnSync('npx', ['react-router', 'build'], { stdio: 'inherit' })
		if (build.status !== 0) throw new Error('The build failed; see the output above.')
	}
	const database = await prepareDatabase(env)
	const { seedDemo, DEMO_PASSWORD, DEMO_USERS } = await import('#prisma/seed/demo.ts')
	const seeded = await seedDemo()
	const server = await serve({ env })
	// The demo is one process: it runs the export worker too (deployments run `npm run worker`).
	const { startWorker } = await import('#workers/worker.ts')
	const worker = await startWorker()
	const lines = [
		'',
		`Quorum is running at ${server.url}`,
		seeded
			? 'Seeded the demo projects and users, with two days of judgments from a simulated team.'
			: `Using the existing demo data in ${DEMO_DATA_DIR}.`,
		'',
		`Demo logins (password: ${DEMO_PASSWORD}):`,
		...DEMO_USERS.map((user) => `  ${user.email.padEnd(28)} ${user.roles.join(', ')}`),
		'',
		`Press Ctrl+C to stop. Data is kept in ${DEMO_DATA_DIR} across restarts.`,
		'',
	]
	process.stdout.write(lines.join('\n'))
	onShutdown(async () => {
		await worker.stop({ graceMs: 5_000 })
		await server.close()
		await database.stop()
	})
} catch (error) {
	exitWithError(error)
}
