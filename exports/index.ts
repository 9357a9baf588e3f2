export { applyFilters, type FilterResult } from './filters.ts'
export {
	datasetFormats,
	formatNames,
	getDatasetFormat,
	type DatasetFormat,
	type FormatName,
	type FormatOutput,
} from './formats/index.ts'
export { ExportOptionsSchema, canonicalOptions, type ExportOptions, type ExportOptionsInput } from './options.ts'
export { createRowPipeline, formatJudgments } from './pipeline.ts'
export { impliedPairs, marginFor, groupIdFor } from './pairs.ts'
export { splitFor, normalizedPromptKey } from './split.ts'
export { renderDatasetCard, type DatasetCardStats } from './dataset-card.ts'
export { serializeManifest, type Manifest, type ManifestFile } from './manifest.ts'
export { writeDataset, removeStaleTempDirs, type WriteDatasetArgs } from './write-dataset.ts'
export { tarGzDataset } from './tar-gz.ts'
export * from './types.ts'
