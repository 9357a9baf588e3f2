import { tryLockRun } from '#app/modules/models/run-lock.server.ts'

// Advisory locks are per Postgres session: they vanish the moment the worker holding one dies (its
// connection closes), which is how a crashed export is told apart from a slow one.
const EXPORT_LOCK_CLASS = 7_340_001

/** Takes the export's lock on a connection of its own; null when another live process holds it. */
export function tryLockExport({ exportId, connectionString }: { exportId: string; connectionString?: string }) {
	return tryLockRun({
		lockClass: EXPORT_LOCK_CLASS,
		runId: exportId,
		applicationName: 'quorum-export-lock',
		connectionString,
	})
}
