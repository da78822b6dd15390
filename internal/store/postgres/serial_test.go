package postgres_test

import (
	"net/url"
	"testing"

	"disputed/internal/store/pgtest"
	"disputed/internal/store/postgres"
)

// TestConnectionsRunSerial: the server's connections plan no parallel query (its worker
// processes cost more than a bounded list's work), unless the database URL asks for one.
func TestConnectionsRunSerial(t *testing.T) {
	t.Parallel()
	base := pgtest.Database(t)
	asked, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := asked.Query()
	q.Set("max_parallel_workers_per_gather", "2")
	asked.RawQuery = q.Encode()
	for _, c := range []struct{ name, url, want string }{{"by default", base, "0"}, {"asked for in the URL", asked.String(), "2"}} {
		db, err := postgres.Connect(t.Context(), c.url)
		if err != nil {
			t.Fatal(err)
		}
		var got string
		err = db.QueryRowContext(t.Context(), "SHOW max_parallel_workers_per_gather").Scan(&got)
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil || got != c.want {
			t.Errorf("%s: max_parallel_workers_per_gather = %q (%v), want %s", c.name, got, err, c.want)
		}
	}
}
