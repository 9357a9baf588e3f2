import { createHash } from 'node:crypto'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import {
	createMigration,
	defaultMigrationsDir,
	defaultSchemaPath,
	diffMigrationsToSchema,
	markMigrationRolledBack,
	migrate,
	MigrationError,
} from './migrator.ts'
import { runPrefix } from '#tests/setup/test-database.ts'
import { connectionStringWithDatabase, quoteIdentifier } from './pg-url.ts'
import { defaultFunctionsDir } from './sql-functions.ts'

const adminUrl = inject('testDatabaseAdminUrl')

async function query<T extends pg.QueryResultRow>(connectionString: string, sql: string) {
	const client = new pg.Client({ connectionString })
	await client.connect()
	try {
		return (await client.query<T>(sql)).rows
	} finally {
		await client.end()
	}
}

const scratchDatabases: string[] = []

/** A database name on the test server that does not exist yet; dropped after the file. */
function scratchDatabaseUrl() {
	const name = `${runPrefix(inject('testRunId'))}scratch_${process.env.VITEST_POOL_ID ?? '1'}_${scratchDatabases.length + 1}`
	scratchDatabases.push(name)
	return connectionStringWithDatabase(adminUrl, name)
}

afterAll(async () => {
	for (const name of scratchDatabases)
		await query(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`)
})

async function migrationNames(dir = defaultMigrationsDir) {
	return (await readdir(dir, { withFileTypes: true }))
		.filter((entry) => entry.isDirectory())
		.map((entry) => entry.name)
		.sort()
}

test('schema.prisma and prisma/migrations agree (otherwise run `npm run migration:create -- <name>`)', async () => {
	expect(await diffMigrationsToSchema({ connectionString: adminUrl })).toBe('')
})

test('migrate() creates the database, applies each migration once and records it as prisma migrate deploy does', async () => {
	const url = scratchDatabaseUrl()
	const names = await migrationNames()
	const messages: string[] = []

	expect(await migrate({ connectionString: url, log: (message) => messages.push(message) })).toEqual({ applied: names })
	expect(await migrate({ connectionString: url })).toEqual({ applied: [] })

	expect(messages[0]).toMatch(/^Created database /)
	const rows = await query<{
		migration_name: string
		checksum: string
		finished: boolean
		rolled_back_at: Date | null
	}>(
		url,
		'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at FROM _prisma_migrations ORDER BY migration_name',
	)
	const expected = await Promise.all(
		names.map(async (name) => ({
			migration_name: name,
			checksum: createHash('sha256')
				.update(await readFile(path.join(defaultMigrationsDir, name, 'migration.sql')))
				.digest('hex'),
			finished: true,
			rolled_back_at: null,
		})),
	)
	expect(rows).toEqual(expected)
})

test('concurrent migrate() calls apply each migration exactly once', async () => {
	const url = scratchDatabaseUrl()
	const names = await migrationNames()

	const results = await Promise.all([migrate({ connectionString: url }), migrate({ connectionString: url })])

	expect(results.flatMap((result) => result.applied).sort()).toEqual(names)
	const rows = await query<{ count: string }>(url, 'SELECT count(*) FROM _prisma_migrations')
	expect(Number(rows[0]?.count)).toBe(names.length)
})

test('migrate() says which database it cannot reach and what to do', async () => {
	const error = await migrate({ connectionString: 'postgresql://quorum:secret@127.0.0.1:1/quorum' }).catch(
		(caught: unknown) => caught,
	)
	expect(error).toBeInstanceOf(MigrationError)
	expect((error as Error).message).toMatch(
		/^Cannot reach the database at postgresql:\/\/quorum:\*\*\*@127\.0\.0\.1:1\/quorum .*start Postgres or fix DATABASE_URL\.$/,
	)
	expect((error as Error).message).not.toContain('secret')
})

describe('with a migration that fails', () => {
	let migrationsDir: string
	const badName = '29990101000000_bad'

	beforeAll(async () => {
		migrationsDir = await mkdtemp(path.join(os.tmpdir(), 'quorum-migrations-'))
		await cp(defaultMigrationsDir, migrationsDir, { recursive: true })
		await mkdir(path.join(migrationsDir, badName))
		await writeFile(
			path.join(migrationsDir, badName, 'migration.sql'),
			'CREATE TABLE "created_before_failure" ("id" INTEGER);\n-- a comment; with a semicolon\nSELECT "missing" FROM "users";\n',
		)
	})
	afterAll(async () => {
		await rm(migrationsDir, { recursive: true, force: true })
	})

	test('it is named with the Postgres error, nothing of it stays, and it can be fixed and retried', async () => {
		const url = scratchDatabaseUrl()

		const failure = await migrate({ connectionString: url, migrationsDir }).catch((caught: unknown) => caught)
		expect(failure).toBeInstanceOf(MigrationError)
		expect((failure as Error).message).toMatch(
			new RegExp(
				`^Migration ${badName} failed at line 3: column "missing" does not exist \\(SQLSTATE 42703\\)\\. Fix .*${badName}/migration\\.sql`,
			),
		)
		expect(await query(url, `SELECT to_regclass('created_before_failure') AS "table"`)).toEqual([{ table: null }])

		const blocked = await migrate({ connectionString: url, migrationsDir }).catch((caught: unknown) => caught)
		expect((blocked as Error).message).toMatch(
			new RegExp(`^Migration ${badName} failed on an earlier run .*--rolled-back ${badName}`),
		)

		await writeFile(
			path.join(migrationsDir, badName, 'migration.sql'),
			'CREATE TABLE "created_after_fix" ("id" INTEGER);\n',
		)
		await markMigrationRolledBack({ connectionString: url, name: badName })
		expect(await migrate({ connectionString: url, migrationsDir })).toEqual({ applied: [badName] })
	})

	test('diffMigrationsToSchema() names it', async () => {
		await writeFile(path.join(migrationsDir, badName, 'migration.sql'), 'SELECT "missing" FROM "users";\n')
		const failure = await diffMigrationsToSchema({ connectionString: adminUrl, migrationsDir }).catch(
			(caught: unknown) => caught,
		)
		expect(failure).toBeInstanceOf(MigrationError)
		expect((failure as Error).message).toMatch(
			new RegExp(`^Migration ${badName} fails on an empty database at line 1: column "missing" does not exist`),
		)
	})
})

describe('createMigration()', () => {
	let workDir: string

	beforeAll(async () => {
		workDir = await mkdtemp(path.join(os.tmpdir(), 'quorum-create-migration-'))
		await cp(defaultMigrationsDir, path.join(workDir, 'migrations'), { recursive: true })
		const schema = await readFile(defaultSchemaPath, 'utf8')
		await writeFile(
			path.join(workDir, 'schema.prisma'),
			`${schema}\nmodel Tag {\n  id   Int    @id @default(autoincrement())\n  name String @unique\n\n  @@map("tags")\n}\n`,
		)
	})
	afterAll(async () => {
		await rm(workDir, { recursive: true, force: true })
	})

	test('writes the difference in Prisma layout after the latest migration, then finds nothing more to add', async () => {
		const migrationsDir = path.join(workDir, 'migrations')
		const schemaPath = path.join(workDir, 'schema.prisma')
		const before = await migrationNames(migrationsDir)

		const created = await createMigration({
			name: 'Add tags!',
			connectionString: adminUrl,
			migrationsDir,
			schemaPath,
			now: new Date('2000-01-01T00:00:00Z'),
		})

		expect(created).not.toBeNull()
		const dirName = path.basename(created!.dir)
		expect(dirName).toMatch(/^\d{14}_add_tags$/)
		expect(dirName > before.at(-1)!).toBe(true)
		expect(await readFile(path.join(created!.dir, 'migration.sql'), 'utf8')).toBe(created!.sql)
		expect(created!.sql).toContain('CREATE TABLE "tags"')
		expect(await readFile(path.join(migrationsDir, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"')

		expect(await createMigration({ name: 'again', connectionString: adminUrl, migrationsDir, schemaPath })).toBeNull()
	})

	test('adds the SQL functions whose file differs from the migrations, once', async () => {
		const root = await mkdtemp(path.join(os.tmpdir(), 'quorum-create-function-migration-'))
		try {
			const migrationsDir = path.join(root, 'migrations')
			const functionsDir = path.join(root, 'sql', 'functions')
			await cp(defaultMigrationsDir, migrationsDir, { recursive: true })
			await cp(defaultFunctionsDir, functionsDir, { recursive: true })
			expect(
				await createMigration({
					name: 'nothing',
					connectionString: adminUrl,
					migrationsDir,
					schemaPath: defaultSchemaPath,
				}),
			).toBeNull()

			const file = path.join(functionsDir, 'quorum_claim_next.sql')
			const changed = (await readFile(file, 'utf8')).replace('FOR attempt IN 1..64 LOOP', 'FOR attempt IN 1..32 LOOP')
			await writeFile(file, changed)
			const created = await createMigration({
				name: 'fewer claim attempts',
				connectionString: adminUrl,
				migrationsDir,
				schemaPath: defaultSchemaPath,
			})

			expect(created!.sql).toBe(changed)
			expect(created!.sql).not.toContain('quorum_submit_judgment(')
			const url = scratchDatabaseUrl()
			expect((await migrate({ connectionString: url, migrationsDir })).applied).toContain(path.basename(created!.dir))
			const [source] = await query<{ body: string }>(
				url,
				`SELECT prosrc AS body FROM pg_proc WHERE proname = 'quorum_claim_next'`,
			)
			expect(source!.body).toContain('FOR attempt IN 1..32 LOOP')
			expect(
				await createMigration({
					name: 'again',
					connectionString: adminUrl,
					migrationsDir,
					schemaPath: defaultSchemaPath,
				}),
			).toBeNull()
		} finally {
			await rm(root, { recursive: true, force: true })
		}
	})
})
