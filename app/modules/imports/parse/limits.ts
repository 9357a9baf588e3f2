export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024

export const MIN_RESPONSES = 2

/** Ranking items: the workspace's number keys 1–9 reach every response. */
export const MAX_RANKED_RESPONSES = 9

/** Comparison items: only two are shown at a time, so a prompt can carry many models. */
export const MAX_RESPONSES = 64

export const MAX_EXTERNAL_ID_LENGTH = 256

export const MAX_RESPONSE_ID_LENGTH = 64

/** Objects and lists nested deeper than this are refused; real metadata is far shallower. */
export const MAX_JSON_DEPTH = 64
