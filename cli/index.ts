import { Command, CommanderError } from 'commander'
import { AppError } from '#app/utils/errors.ts'
import { QUORUM_VERSION } from '#app/utils/version.ts'
import { registerAdminCommands } from './commands/admin.ts'
import { registerImportCommand } from './commands/import.ts'
import { registerExportCommands } from './commands/export.ts'
import { registerGenerateCommand } from './commands/generate.ts'
import { registerJudgeCommand } from './commands/judge.ts'
import { registerWorkerCommand } from './commands/worker.ts'
import { registerOfflineCommands } from './commands/offline.ts'
import { registerRerenderCommand } from './commands/rerender.ts'
import { CliError } from './errors.ts'

process.env.LOG_LEVEL ??= 'warn'

const program = new Command()
	.name('quorum')
	.description(
		'Quorum: human-feedback labeling for RLHF.\n\nAdmin commands work on DATABASE_URL; client commands on QUORUM_URL with QUORUM_TOKEN.',
	)
	.version(QUORUM_VERSION)
	.showHelpAfterError('(run with --help for usage)')
	.exitOverride()

registerAdminCommands(program)
registerImportCommand(program)
registerExportCommands(program)
registerGenerateCommand(program)
registerJudgeCommand(program)
registerWorkerCommand(program)
registerOfflineCommands(program)
registerRerenderCommand(program)

try {
	await program.parseAsync(process.argv)
} catch (error) {
	if (error instanceof CommanderError) {
		process.exit(error.exitCode)
	}
	const message =
		error instanceof CliError || error instanceof AppError
			? error.message
			: error instanceof Error
				? error.message
				: String(error)
	process.stderr.write(`error: ${message}\n`)
	process.exit(error instanceof CliError ? error.exitCode : 1)
}
