package store

// Trim cuts a page the store fetched with one extra row (see Page) to its limit, and reports
// whether there was more.
func Trim[T any](rows []T, limit int) ([]T, bool) {
	if limit > 0 && len(rows) > limit {
		return rows[:limit], true
	}
	return rows, false
}
