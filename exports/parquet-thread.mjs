// Encodes one Parquet file on its own thread: the export's main thread sends a row group's columns
// and goes on reading the next batches while this one runs hyparquet-writer (UTF-8, dictionary
// tests, Snappy, pages) and writes to disk. Plain JavaScript, so it runs the same under tsx, the
// compiled worker and the tests. The protocol is in parquet-sink.ts.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { ByteWriter, ParquetWriter } from 'hyparquet-writer'

/** Hands every finished row group to the file, so only one row group is ever held in memory. */
class FileByteWriter extends ByteWriter {
	constructor(fd) {
		super()
		this.fd = fd
	}

	flush() {
		const bytes = new Uint8Array(this.buffer, 0, this.index)
		for (let done = 0; done < bytes.length;) done += writeSync(this.fd, bytes, done, bytes.length - done)
		this.index = 0
	}

	finish() {
		this.flush()
	}
}

const port = parentPort
const { path, schema, createdBy } = workerData
let fd
let writer
try {
	fd = openSync(path, 'wx')
	writer = new ParquetWriter({ writer: new FileByteWriter(fd), schema, createdBy })
	port.postMessage({ type: 'ready' })
} catch (error) {
	port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) })
	port.close()
}

port.on('message', (message) => {
	try {
		if (message.type === 'group') {
			writer.write({ columnData: message.columnData, rowGroupSize: message.rows })
			port.postMessage({ type: 'written' })
		} else if (message.type === 'finish') {
			writer.finish()
			fsyncSync(fd)
			closeSync(fd)
			port.postMessage({ type: 'finished' })
			port.close()
		}
	} catch (error) {
		port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) })
		port.close()
	}
})
