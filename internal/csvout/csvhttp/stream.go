// Package csvhttp answers an HTTP request with a CSV export, written as its rows are read: the
// one place that knows how an export starts, flushes and ends, for the API and the web UI alike.
package csvhttp

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"disputed/internal/csvout"
)

// ContentType is the media type of the exports.
const ContentType = "text/csv; charset=utf-8"

// Stall is how long one page of an export may take to reach the client. An export of a million
// rows runs longer than the server's write timeout, which is meant for one answer; each page
// written moves the deadline on, so a client that keeps reading keeps the connection and one that
// stops reading loses it.
const Stall = time.Minute

// Stream answers with the rows that rows gives, page after page, as the CSV file name (a header
// row of columns, then a row per value), flushing each page. The answer starts with the first
// page: an error before it is returned with nothing written, for the caller to answer as it
// answers errors. An error after it is logged and cuts the body short by aborting the response
// (panic with http.ErrAbortHandler): no final chunk is sent, so the client sees the transfer
// fail (curl exits 18, Go's client reads io.ErrUnexpectedEOF) instead of a short file.
func Stream[T any](ctx context.Context, w http.ResponseWriter, log *slog.Logger, name string, columns []csvout.Column[T],
	rows func(each func([]T) error) error) error {
	rc := http.NewResponseController(w)
	out := csvout.NewWriter(w)
	started := false
	var row []string
	err := rows(func(page []T) error {
		if !started {
			started = true
			h := w.Header()
			h.Set("Content-Type", ContentType)
			h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Cache-Control", "private, no-store")
			w.WriteHeader(http.StatusOK)
			if err := out.Row(csvout.Header(columns)...); err != nil {
				return err
			}
		}
		for _, v := range page {
			row = csvout.Cells(columns, v, row)
			if err := out.Row(row...); err != nil {
				return err
			}
		}
		if err := rc.SetWriteDeadline(time.Now().Add(Stall)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return err
		}
		if err := out.Flush(); err != nil {
			return err
		}
		return rc.Flush()
	})
	if err == nil || !started {
		return err
	}
	log.WarnContext(ctx, "csv export cut short", "file", name, "error", err)
	panic(http.ErrAbortHandler)
}

// FileName is the name of an export of what (disputes, transactions) made at now:
// disputes-20260601.csv.
func FileName(what string, now time.Time) string {
	return what + "-" + now.UTC().Format("20060102") + ".csv"
}
