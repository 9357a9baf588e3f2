// Progress goes to stderr so that `--json` leaves stdout to the one JSON object.

export function progress(message: string) {
	process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}
