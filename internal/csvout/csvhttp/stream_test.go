package csvhttp

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"disputed/internal/csvout"
)

var columns = []csvout.Column[int]{{Name: "n", Cell: func(n int) string { return strings.Repeat("x", n) }}}

// serve answers every request with Stream over pages, failing with fail after them.
func serve(t *testing.T, pages [][]int, fail error) *http.Response {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := Stream(r.Context(), w, slog.New(slog.DiscardHandler), "numbers-20260601.csv", columns, func(each func([]int) error) error {
			for _, p := range pages {
				if err := each(p); err != nil {
					return err
				}
			}
			return fail
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(srv.Close)
	res, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func TestStreamWritesEveryPage(t *testing.T) {
	t.Parallel()
	res := serve(t, [][]int{{1, 2}, {}, {3}}, nil)
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != ContentType ||
		res.Header.Get("Content-Disposition") != `attachment; filename="numbers-20260601.csv"` {
		t.Errorf("answer: %d %v", res.StatusCode, res.Header)
	}
	if want := "n\r\nx\r\nxx\r\nxxx\r\n"; string(body) != want {
		t.Errorf("body %q, want %q", body, want)
	}
}

func TestStreamLeavesAnEarlyErrorToTheCaller(t *testing.T) {
	t.Parallel()
	res := serve(t, nil, errors.New("database down"))
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "database down") {
		t.Errorf("an error before the first page: %d %q", res.StatusCode, body)
	}
}

// TestStreamCutsTheBodyOnALateError: rows have gone, so the status cannot say it; the client
// must see the transfer fail rather than a shorter file that looks whole.
func TestStreamCutsTheBodyOnALateError(t *testing.T) {
	t.Parallel()
	res := serve(t, [][]int{{1, 2}}, errors.New("database down"))
	body, err := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a late error: status %d, read error %v, body %q", res.StatusCode, err, body)
	}
}
