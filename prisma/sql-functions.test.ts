import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { changedFunctionFiles, functionEvents, functionFiles, migratedFunctions } from './sql-functions.ts'

describe('prisma/sql/functions', () => {
	const files = functionFiles()
	const migrated = migratedFunctions()

	test('there is a file for every function the migrations define', () => {
		const defined = [...migrated.values()].filter((fn) => fn.definition !== null).map((fn) => fn.name)
		expect(defined.length).toBeGreaterThan(0)
		expect(files.map((file) => file.name).sort()).toEqual(defined.sort())
	})

	test.each(files.map((file) => [file.name, file] as const))(
		'%s.sql is what its latest migration applies',
		(_name, file) => {
			const latest = migrated.get(file.name)
			expect(
				latest,
				`no migration defines ${file.name}; create one that contains ${file.file} (see prisma/sql/README.md)`,
			).toBeDefined()
			expect(
				latest!.definition,
				`${latest!.migration} drops ${file.name}; delete ${file.file} or create it again in a migration`,
			).not.toBeNull()
			expect(
				file.definition,
				`${file.file} differs from its definition in prisma/migrations/${latest!.migration}; create a migration that contains the file (see prisma/sql/README.md)`,
			).toBe(latest!.definition)
		},
	)
})

describe('the comparison', () => {
	const dirs: string[] = []
	afterAll(async () => {
		await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
	})

	async function tree(migrations: Record<string, string>, functions: Record<string, string>) {
		const root = await mkdtemp(path.join(os.tmpdir(), 'quorum-sql-functions-'))
		dirs.push(root)
		for (const [name, sql] of Object.entries(migrations)) {
			await mkdir(path.join(root, 'migrations', name), { recursive: true })
			await writeFile(path.join(root, 'migrations', name, 'migration.sql'), sql)
		}
		await mkdir(path.join(root, 'functions'), { recursive: true })
		for (const [name, sql] of Object.entries(functions))
			await writeFile(path.join(root, 'functions', `${name}.sql`), sql)
		return { migrationsDir: path.join(root, 'migrations'), functionsDir: path.join(root, 'functions') }
	}

	const v1 = `CREATE FUNCTION f(a INT) RETURNS INT LANGUAGE sql AS $$\n    SELECT a + 1\n$$;`
	const v2 = `CREATE OR REPLACE FUNCTION f(a INT) RETURNS INT LANGUAGE sql AS $$\n    SELECT a + 2\n$$;`

	test('takes the latest migration, ignores trailing whitespace and CREATE versus CREATE OR REPLACE', async () => {
		const same = await tree(
			{ '1_init': `${v1}\n`, '2_change': `-- newer\n${v2}\n` },
			{ f: `-- comment\n${v2.replace('SELECT a + 2', 'SELECT a + 2   ')}\n\n` },
		)
		expect(changedFunctionFiles(same)).toEqual([])
	})

	test('a file edited without a migration differs, and so does one a later migration replaced', async () => {
		const edited = await tree({ '1_init': v1 }, { f: v2 })
		expect(changedFunctionFiles(edited).map((file) => file.name)).toEqual(['f'])
		const stale = await tree({ '1_init': v1, '2_change': v2 }, { f: v1 })
		expect(changedFunctionFiles(stale).map((file) => file.name)).toEqual(['f'])
		const whitespaceInside = await tree({ '1_init': v1 }, { f: v1.replace('SELECT a', 'SELECT  a') })
		expect(changedFunctionFiles(whitespaceInside).map((file) => file.name)).toEqual(['f'])
	})

	test('a dropped function has no definition, and a body that is not dollar-quoted is refused', () => {
		expect(functionEvents(`${v1}\nDROP FUNCTION IF EXISTS f(INT);`).map((event) => event.kind)).toEqual([
			'create',
			'drop',
		])
		expect(() => functionEvents(`CREATE FUNCTION g() RETURNS INT LANGUAGE sql AS 'SELECT 1';`)).toThrow(
			/not dollar-quoted/,
		)
	})
})
