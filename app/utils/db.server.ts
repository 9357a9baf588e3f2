import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '#app/generated/prisma/client.ts'

export type { Prisma } from '#app/generated/prisma/client.ts'

const globalForDb = globalThis as unknown as { __quorumPrisma?: PrismaClient }

function createClient() {
	const connectionString = process.env.DATABASE_URL
	if (!connectionString) throw new Error('DATABASE_URL is not set: the database was not started before use')
	return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: Number(process.env.DB_POOL_SIZE ?? 10) }) })
}

// Created on first use, so that the process that starts the embedded database can set
// DATABASE_URL before anything connects.
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
	get(_target, property) {
		globalForDb.__quorumPrisma ??= createClient()
		const value = Reflect.get(globalForDb.__quorumPrisma, property)
		return typeof value === 'function' ? value.bind(globalForDb.__quorumPrisma) : value
	},
})

export async function disconnectDb() {
	await globalForDb.__quorumPrisma?.$disconnect()
	globalForDb.__quorumPrisma = undefined
}
