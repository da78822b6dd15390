package app

import (
	"context"
	"time"

	"disputed/internal/store"
)

// Convert lets the tests call convert, the conversion the rules and the recommendation make
// inside the package.
func (a *App) Convert(ctx context.Context, r store.Reader, amount int64, from, to string, at time.Time) (int64, bool, error) {
	return a.convert(ctx, r, amount, from, to, at)
}

// CompileSettle is how long evidence waits after the last fact that asks for it.
const CompileSettle = compileSettle
