import type { Command } from 'commander'
import {
	createApiToken,
	TokenExpiryDaysSchema,
	TokenNameSchema,
	TokenScopeSchema,
} from '#app/modules/auth/api-token.server.ts'
import { PasswordSchema } from '#app/modules/auth/password.server.ts'
import { EmailSchema } from '#app/modules/auth/login.server.ts'
import { RoleSchema } from '#app/modules/users/users.schema.ts'
import { createUser, disableUser, getUserByEmail } from '#app/modules/users/users.server.ts'
import { ROLES } from '#app/utils/permissions.ts'
import { createMigration, markMigrationRolledBack, migrate } from '#prisma/migrator.ts'
import { withDatabase } from '../database.ts'
import { CliError } from '../errors.ts'

function parseWith<T>(
	schema: {
		safeParse: (
			value: unknown,
		) => { success: true; data: T } | { success: false; error: { issues: { message: string }[] } }
	},
	value: unknown,
	flag: string,
): T {
	const result = schema.safeParse(value)
	if (!result.success) throw new CliError(`${flag}: ${result.error.issues[0]?.message ?? 'invalid value'}`)
	return result.data
}

const collect = (value: string, previous: string[] = []) => [...previous, value]

export function registerAdminCommands(program: Command) {
	program
		.command('migrate')
		.description('Apply pending database migrations to DATABASE_URL (no native Prisma engine needed)')
		.action(async () => {
			await withDatabase(async (connectionString) => {
				const { applied } = await migrate({ connectionString })
				console.log(
					applied.length
						? `Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}`).join('\n')}`
						: 'The database is up to date.',
				)
			})
		})

	program
		.command('migrate-resolve')
		.description('Mark a failed migration as rolled back, after fixing it, so `quorum migrate` retries it')
		.requiredOption('--rolled-back <name>', 'the migration folder name, e.g. 20261129032426_init')
		.action(async (options: { rolledBack: string }) => {
			await withDatabase(async (connectionString) => {
				await markMigrationRolledBack({ connectionString, name: options.rolledBack })
				console.log(`Marked ${options.rolledBack} as rolled back; run \`quorum migrate\` to apply it again.`)
			})
		})

	program
		.command('migration')
		.description('Manage migration files')
		.command('create')
		.argument('<name>', 'a short name, e.g. add-item-priority')
		.description(
			'Write prisma/migrations/<timestamp>_<name>/migration.sql from the difference between schema.prisma and the migrations, plus the files of prisma/sql/functions that changed (uses a scratch database on DATABASE_URL)',
		)
		.action(async (name: string) => {
			await withDatabase(async (connectionString) => {
				const result = await createMigration({ name, connectionString })
				console.log(
					result
						? `Created ${result.dir}`
						: 'schema.prisma, prisma/sql/functions and the migrations agree; nothing to do.',
				)
			})
		})

	program
		.command('seed')
		.description('Seed data into DATABASE_URL')
		.option('--demo', 'the demo users and projects (skipped when they already exist)')
		.action(async (options: { demo?: boolean }) => {
			if (!options.demo) throw new CliError('Say what to seed: --demo')
			await withDatabase(async () => {
				const { seedDemo } = await import('#prisma/seed/demo.ts')
				console.log(
					(await seedDemo()) ? 'Seeded the demo users and projects.' : 'The demo data already exists; nothing to do.',
				)
			})
		})

	const users = program.command('users').description('Manage users on DATABASE_URL')
	users
		.command('create')
		.description('Create a user with a password')
		.requiredOption('--email <email>', 'email address (the login)')
		.requiredOption(
			'--password <password>',
			'at least 8 characters; "-" reads it from standard input, keeping it out of the shell history and process list',
		)
		.requiredOption('--role <role>', `one of ${ROLES.join(', ')}; repeat for several`, collect)
		.option('--name <name>', 'display name (defaults to the part of the email before @)')
		.action(async (options: { email: string; password: string; role: string[]; name?: string }) => {
			const email = parseWith(EmailSchema, options.email, '--email')
			const password = parseWith(
				PasswordSchema,
				options.password === '-' ? await readStdinLine() : options.password,
				'--password',
			)
			const roles = options.role.map((role) => parseWith(RoleSchema, role, '--role'))
			await withDatabase(async () => {
				const user = await createUser({ email, password, roles: [...new Set(roles)], displayName: options.name })
				console.log(`Created ${user.email} (${user.roles.join(', ')}) ${user.id}`)
			})
		})
	users
		.command('disable')
		.description('Disable a user: ends their sessions and revokes their API tokens at once')
		.requiredOption('--email <email>', 'the user to disable')
		.action(async (options: { email: string }) => {
			const email = parseWith(EmailSchema, options.email, '--email')
			await withDatabase(async () => {
				const user = await getUserByEmail({ email })
				if (user.disabledAt) throw new CliError(`${email} is already disabled`)
				await disableUser({ userId: user.id })
				console.log(`Disabled ${email}; their sessions and tokens no longer work.`)
			})
		})

	program
		.command('tokens')
		.description('Manage personal API tokens on DATABASE_URL')
		.command('create')
		.description('Create an API token for a user; the token is printed alone on the last line')
		.requiredOption('--email <email>', 'the token acts as this user')
		.requiredOption('--name <name>', 'what the token is for')
		.option('--scope <scope>', 'read (GET only), annotate (also claim, submit, skip, edit judgments) or full', 'full')
		.option('--expires-days <days>', 'the token stops working after this many days (default: never)')
		.action(async (options: { email: string; name: string; scope: string; expiresDays?: string }) => {
			const email = parseWith(EmailSchema, options.email, '--email')
			const name = parseWith(TokenNameSchema, options.name, '--name')
			const scope = parseWith(TokenScopeSchema, options.scope, '--scope')
			const days =
				options.expiresDays === undefined
					? null
					: parseWith(TokenExpiryDaysSchema, options.expiresDays, '--expires-days')
			await withDatabase(async () => {
				const user = await getUserByEmail({ email })
				if (user.disabledAt) throw new CliError(`${email} is disabled; enable the account before creating tokens`)
				const token = await createApiToken({
					userId: user.id,
					name,
					scope,
					expiresAt: days ? new Date(Date.now() + days * 24 * 3600_000) : null,
				})
				console.log(`Created token "${token.name}" for ${email}. It is shown once; store it now:`)
				console.log(token.token)
			})
		})
}

/** The password piped in (`--password -`), without its final line break. */
async function readStdinLine() {
	if (process.stdin.isTTY)
		throw new CliError(
			'--password -: pipe the password in, e.g. printf %s "$PASSWORD" | quorum users create ... --password -',
		)
	const chunks: Buffer[] = []
	for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
	return Buffer.concat(chunks)
		.toString('utf8')
		.replace(/\r?\n$/, '')
}
