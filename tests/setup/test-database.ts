// Names shared by the global setup (main process) and the per-worker setup file.
// Every run names its databases after its own process id, so runs sharing one server (several
// checkouts, or a developer's run beside CI) never drop each other's databases.
export const WORKER_DATABASE_PREFIX = 'quorum_test_'

export function runPrefix(runId: string) {
	return `${WORKER_DATABASE_PREFIX}${runId}_`
}

export function templateDatabase(runId: string) {
	return `${runPrefix(runId)}template`
}

export function workerDatabaseName(runId: string, poolId: string) {
	return `${runPrefix(runId)}${poolId.replace(/\W/g, '_')}`
}

declare module 'vitest' {
	export interface ProvidedContext {
		/** A connection string to the test server for admin statements (CREATE/DROP DATABASE). */
		testDatabaseAdminUrl: string
		/** A directory that lives as long as the run; files in it mark the worker databases made in this run. */
		testRunDir: string
		/** Names this run's databases. */
		testRunId: string
	}
}
