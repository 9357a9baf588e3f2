import type { Command } from 'commander'

export function registerWorkerCommand(program: Command) {
	program
		.command('worker')
		.description(
			'Run the background worker (exports, pruning, analytics) on DATABASE_URL, or on the embedded Postgres when it is unset; stop it with Ctrl+C or SIGTERM',
		)
		.action(async () => {
			await import('#workers/index.ts')
		})
}
