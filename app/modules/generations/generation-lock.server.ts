import { tryLockRun, type RunLock } from '#app/modules/models/run-lock.server.ts'

const GENERATION_LOCK_CLASS = 7_340_002

export type GenerationLock = RunLock

export async function tryLockGeneration({
	runId,
	connectionString = process.env.DATABASE_URL,
}: {
	runId: string
	connectionString?: string
}): Promise<GenerationLock | null> {
	return tryLockRun({
		lockClass: GENERATION_LOCK_CLASS,
		runId,
		applicationName: 'quorum-generation-lock',
		connectionString,
	})
}
