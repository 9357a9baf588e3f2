export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue }

const reserved = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i
const plain = /^[A-Za-z_][A-Za-z0-9_./*<>-]*$/

function scalar(value: string | number | boolean | null): string {
	if (value === null) return 'null'
	if (typeof value !== 'string') return String(value)
	if (plain.test(value) && !reserved.test(value)) return value
	return JSON.stringify(value).replace(
		/[\u0085\u2028\u2029]/g,
		(c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
	)
}

function isScalar(value: YamlValue): value is string | number | boolean | null {
	return value === null || typeof value !== 'object'
}

function lines(value: YamlValue, indent: string): string[] {
	if (isScalar(value)) return [indent + scalar(value)]
	if (Array.isArray(value)) {
		return value.flatMap((item) => {
			if (isScalar(item) || (Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0)) {
				return [`${indent}- ${isScalar(item) ? scalar(item) : Array.isArray(item) ? '[]' : '{}'}`]
			}
			const [first = '', ...rest] = lines(item, `${indent}  `)
			return [`${indent}- ${first.slice(indent.length + 2)}`, ...rest]
		})
	}
	return Object.entries(value).flatMap(([key, item]) => {
		if (isScalar(item)) return [`${indent}${key}: ${scalar(item)}`]
		if (Array.isArray(item))
			return item.length === 0 ? [`${indent}${key}: []`] : [`${indent}${key}:`, ...lines(item, indent)]
		if (Object.keys(item).length === 0) return [`${indent}${key}: {}`]
		return [`${indent}${key}:`, ...lines(item, `${indent}  `)]
	})
}

/** Block-style YAML for the dataset card's front matter; strings that need it are JSON-quoted. */
export function toYaml(value: YamlValue): string {
	return `${lines(value, '').join('\n')}\n`
}
