import { z } from 'zod'

export const ExportBuildPayloadSchema = z.strictObject({ exportId: z.uuid() })
export const AnalyticsRefreshPayloadSchema = z.strictObject({ projectId: z.guid() })
export const EmptyPayloadSchema = z.strictObject({})
export const GenerateResponsesPayloadSchema = z.strictObject({ runId: z.uuid() })
export const JudgeRunPayloadSchema = z.strictObject({ runId: z.uuid() })
