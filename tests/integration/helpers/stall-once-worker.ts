// The real worker for the fault test, run as several processes: the first of them to write an
// export's first batch claims STALL_MARKER, reports on stdout and stalls, so the test can kill it
// in the middle of that export; the others work normally and pick the export up again.
import { mkdir } from 'node:fs/promises'
import { exportBuildHooks } from '#app/modules/jobs/handlers/export-build.server.ts'
import { startWorker } from '#workers/worker.ts'

const marker = process.env.STALL_MARKER
if (!marker) throw new Error('STALL_MARKER is not set')

exportBuildHooks.afterBatch = async ({ exportId }) => {
	const first = await mkdir(marker).then(
		() => true,
		() => false,
	)
	if (!first) return
	process.stdout.write(`${JSON.stringify({ stalled: exportId, pid: process.pid })}\n`)
	await new Promise(() => {})
}

await startWorker({ pollIntervalMs: 250, reapIntervalMs: 1_000, schedule: false })
process.stdout.write('ready\n')
