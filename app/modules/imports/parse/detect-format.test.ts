import { describe, expect, test } from 'vitest'
import { AppError } from '#app/utils/errors.ts'
import { detectFormat } from './detect-format.ts'

describe('detectFormat', () => {
	test.each([
		[{ contentType: 'application/x-ndjson' }, 'jsonl'],
		[{ contentType: 'application/jsonl; charset=utf-8' }, 'jsonl'],
		[{ contentType: 'Application/JSON-Lines' }, 'jsonl'],
		[{ contentType: 'text/csv;charset=UTF-8', filename: 'data.jsonl' }, 'csv'],
		[{ contentType: 'application/vnd.apache.parquet' }, 'parquet'],
		[{ contentType: 'application/x-parquet' }, 'parquet'],
	] as const)('content type %o gives %s', (input, format) => {
		expect(detectFormat(input)).toBe(format)
	})

	test.each([
		[{ filename: 'pairs.JSONL' }, 'jsonl'],
		[{ filename: 'pairs.ndjson' }, 'jsonl'],
		[{ filename: 'export.2024.csv' }, 'csv'],
		[{ filename: 'train-00000-of-00001.parquet' }, 'parquet'],
		[{ contentType: 'application/octet-stream', filename: 'train.parquet' }, 'parquet'],
		[{ contentType: 'text/plain', filename: 'pairs.jsonl' }, 'jsonl'],
	] as const)('a generic or missing content type falls back to the extension: %o gives %s', (input, format) => {
		expect(detectFormat(input)).toBe(format)
	})

	test('anything else is a clear 415 error', () => {
		const attempt = () => detectFormat({ contentType: 'application/json', filename: 'items.json' })
		expect(attempt).toThrow(AppError)
		expect(attempt).toThrow(/content type "application\/json" and file name "items.json".*\.jsonl, \.csv or \.parquet/)
		try {
			detectFormat({})
		} catch (error) {
			expect(error).toBeInstanceOf(AppError)
			expect((error as AppError).status).toBe(415)
			expect((error as AppError).message).toMatch(/^Cannot tell the import format from the request/)
		}
	})
})
