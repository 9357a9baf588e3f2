import type { Command } from 'commander'
import { withDatabase } from '../database.ts'

export function registerRerenderCommand(program: Command) {
	program
		.command('rerender')
		.description(
			'Render and store the HTML of items the current renderer has not rendered yet (after an upgrade that changes it), on DATABASE_URL',
		)
		.option('--project <slug>', 'only this project')
		.action(async (options: { project?: string }) => {
			await withDatabase(async () => {
				const { rerenderItems } = await import('#app/modules/content/rerender-items.server.ts')
				const { rendered } = await rerenderItems({
					slug: options.project,
					onBatch: (done) => process.stderr.write(`\rrendered ${done} items`),
				})
				if (rendered) process.stderr.write('\n')
				console.log(
					rendered ? `Rendered ${rendered} item(s).` : 'Every item is rendered by the current renderer; nothing to do.',
				)
			})
		})
}
