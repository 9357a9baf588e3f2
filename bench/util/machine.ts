import os from 'node:os'

export type Machine = {
	cores: number
	postgres: string
	cpu: string
	memoryGb: number
	node: string
	loadAverage: number
}

/** What the figures were measured on; the load average shows how busy the machine was. */
export function machine(postgresVersion: string): Machine {
	return {
		cores: os.availableParallelism(),
		postgres: postgresVersion,
		cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
		memoryGb: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
	}
}
