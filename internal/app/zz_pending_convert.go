package app

import (
	"context"
	"strings"
	"time"

	"disputed/internal/store"
)

// convert stands in for the rates helper's conversion until it is merged: the same currency is
// the same amount, and any other has no recorded rate.
func (a *App) convert(_ context.Context, _ store.Reader, amount int64, from, to string, _ time.Time) (int64, bool, error) {
	if strings.EqualFold(from, to) {
		return amount, true, nil
	}
	return 0, false, nil
}

// reportingCurrency stands in for the rates helper's setting: "" means USD.
func reportingCurrency(_ store.Settings) string { return "USD" }
