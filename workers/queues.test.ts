import { expect, test } from 'vitest'
import { jobIds } from '#app/modules/jobs/registry.ts'
import { queuesFromSetting } from './queues.ts'

test('WORKER_QUEUES unset or empty means every queue', () => {
	expect(queuesFromSetting(undefined)).toEqual(jobIds)
	expect(queuesFromSetting(' , ')).toEqual(jobIds)
})

test('WORKER_QUEUES picks queues by name, in the registry order', () => {
	expect(queuesFromSetting('sessions.prune, export.build')).toEqual(['export.build', 'sessions.prune'])
})

test('an unknown name is refused with the names to choose from', () => {
	expect(() => queuesFromSetting('export.build,exports')).toThrow(
		/WORKER_QUEUES: unknown job exports; choose from export\.build, /,
	)
})
