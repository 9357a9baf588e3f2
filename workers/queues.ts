import { jobIds, type JobId } from '#app/modules/jobs/registry.ts'

/** The queues a worker works, from WORKER_QUEUES (comma-separated job names); all when unset or empty. */
export function queuesFromSetting(setting: string | undefined): JobId[] {
	const wanted = (setting ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean)
	if (wanted.length === 0) return jobIds
	const unknown = wanted.filter((name) => !(jobIds as string[]).includes(name))
	if (unknown.length > 0)
		throw new Error(`WORKER_QUEUES: unknown job ${unknown.join(', ')}; choose from ${jobIds.join(', ')}`)
	return jobIds.filter((id) => wanted.includes(id))
}
