import type { z } from 'zod'
import type { ChatRoleSchema } from './import.schema.ts'

export type { FieldError } from '#app/utils/errors.ts'

export type ImportFormat = 'jsonl' | 'csv' | 'parquet'

export type ChatRole = z.infer<typeof ChatRoleSchema>

export type ChatMessage = { role: ChatRole; content: string }

export type ItemContext = { prompt: string } | { messages: ChatMessage[] }

export type CanonicalResponse = {
	id: string
	model: string | null
	content: string
	metadata: Record<string, unknown> | null
}

export type GoldAnswer = { ranking: string[][] }

export type CanonicalItem = {
	externalId: string
	context: ItemContext
	responses: CanonicalResponse[]
	metadata: Record<string, unknown> | null
	gold: GoldAnswer | null
	contentHash: string
}

/**
 * `line` is 1-based: the physical line for JSONL, the row for Parquet, and for CSV the physical
 * line where the record starts, counted from the first line after the header. 0 means the whole
 * file (empty file, unreadable header or container).
 */
export type ImportError = { line: number; path: string; message: string }

export type ParsedLine = { line: number; item: CanonicalItem } | { line: number; errors: ImportError[] }

/** What a format reader hands to validation: one decoded record, or why it could not be decoded. */
export type RawRecord = { line: number; value: unknown } | { line: number; errors: ImportError[] }
