import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { PrismaClient } from '#app/generated/prisma/client.ts'
import { logger } from './logger.server.ts'

export type { Prisma } from '#app/generated/prisma/client.ts'

type Db = { pool: pg.Pool; prisma: PrismaClient }
const globalForDb = globalThis as unknown as { __quorumDb?: Db }

function connect(): Db {
	const connectionString = process.env.DATABASE_URL
	if (!connectionString) throw new Error('DATABASE_URL is not set: the database was not started before use')
	const pool = new pg.Pool({ connectionString, max: Number(process.env.DB_POOL_SIZE ?? 10) })
	// An idle connection the server dropped (a restart, a failover) must not take the process
	// down; the pool replaces it on the next checkout.
	pool.on('error', (error) => logger.warn('idle database connection lost', { error: error.message }))
	return { pool, prisma: new PrismaClient({ adapter: new PrismaPg(pool) }) }
}

function db() {
	globalForDb.__quorumDb ??= connect()
	return globalForDb.__quorumDb
}

// Created on first use, so that the process that starts the embedded database can set
// DATABASE_URL before anything connects.
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
	get(_target, property) {
		const client = db().prisma
		const value = Reflect.get(client, property)
		return typeof value === 'function' ? value.bind(client) : value
	},
})

/**
 * The same connections without the ORM, for the few hot paths where each statement counts (the
 * annotator's next/submit loop and token checks). A named statement is prepared once per
 * connection and then only executed.
 */
export async function sql<Row extends pg.QueryResultRow>(query: { name?: string; text: string; values?: unknown[] }) {
	return (await db().pool.query<Row>(query)).rows
}

/** A connection inside an open transaction, from `pgTransaction()`. */
export type SqlTransaction = Pick<pg.PoolClient, 'query'>

/**
 * Runs `work` in one transaction on one connection of the shared pool, without the ORM: for bulk
 * writes, where Prisma's per-query work and its retained debug arguments cost time and memory.
 */
export async function pgTransaction<T>(work: (client: SqlTransaction) => Promise<T>): Promise<T> {
	const client = await db().pool.connect()
	let broken = false
	try {
		await client.query('BEGIN')
		const result = await work(client)
		await client.query('COMMIT')
		return result
	} catch (error) {
		await client.query('ROLLBACK').catch(() => {
			broken = true
		})
		throw error
	} finally {
		client.release(broken)
	}
}

export async function disconnectDb() {
	const current = globalForDb.__quorumDb
	globalForDb.__quorumDb = undefined
	if (!current) return
	await current.prisma.$disconnect()
	await current.pool.end().catch(() => {})
}
