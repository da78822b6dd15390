// Package accesslog writes one structured line per HTTP request, through slog: method, path,
// status, bytes, duration, client address, request id and who asked. The handlers that learn who
// asks (the API's key check, the web UI's session) tell it with SetActor. Each answer carries its
// request id in X-Request-Id, so that a client's report can be matched to its line.
package accesslog

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"time"
)

// Header carries the request id: taken from the request when it is a plausible id (a proxy in
// front may have set it), else made here; always sent back.
const Header = "X-Request-Id"

// entry is what the line says beyond the request itself, filled in while the request runs.
type entry struct {
	actor string
}

type entryKey struct{}

// SetActor records who made the request (an API key's actor, a signed-in user), for its line.
// Outside a logged request it does nothing.
func SetActor(ctx context.Context, who string) {
	if e, ok := ctx.Value(entryKey{}).(*entry); ok {
		e.actor = who
	}
}

// RequestID is the id of the request ctx belongs to, "" outside a logged request.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(idKey{}).(string)
	return id
}

type idKey struct{}

// Handler logs every request next serves to log, at info, once it is answered. The path is
// logged without its query, which may carry a token or a customer's email.
func Handler(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get(Header)
		if !plausibleID(id) {
			id = rand.Text()
		}
		w.Header().Set(Header, id)
		e := &entry{}
		ctx := context.WithValue(context.WithValue(r.Context(), entryKey{}, e), idKey{}, id)
		rec := &recorder{ResponseWriter: w}
		defer func() {
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", status), slog.Int64("bytes", rec.bytes),
				slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
				slog.String("client", r.RemoteAddr), slog.String("request_id", id)}
			if e.actor != "" {
				attrs = append(attrs, slog.String("actor", e.actor))
			}
			log.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
		}()
		next.ServeHTTP(rec, r.WithContext(ctx))
	})
}

// plausibleID accepts an incoming request id of 1 to 64 letters, digits, '-', '_' and '.':
// anything else could forge or break a log line.
func plausibleID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}

// recorder notes the status and counts the bytes of an answer.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 && code >= 200 { // not an informational 1xx: the answer's own status
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer (flushes, deadlines).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
