export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024

export const MIN_RESPONSES = 2

export const MAX_RESPONSES = 9

export const MAX_EXTERNAL_ID_LENGTH = 256

export const MAX_RESPONSE_ID_LENGTH = 64

/** Objects and lists nested deeper than this are refused; real metadata is far shallower. */
export const MAX_JSON_DEPTH = 64
