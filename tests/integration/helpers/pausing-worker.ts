// The real worker, instrumented for the crash test: once an export has written its first batch it
// reports on stdout and stalls, so the test can kill it mid-export at a known point.
import { exportBuildHooks } from '#app/modules/jobs/handlers/export-build.server.ts'
import { startWorker } from '#workers/worker.ts'

exportBuildHooks.afterBatch = async ({ exportId, progress, tempDirs }) => {
	process.stdout.write(`${JSON.stringify({ paused: exportId, progress, tempDirs: await tempDirs() })}\n`)
	await new Promise(() => {})
}

await startWorker({ pollIntervalMs: 100, schedule: false, queues: ['export.build'] })
process.stdout.write('ready\n')
