package sqlite

import (
	"maps"
	"net/url"
	"strings"
	"testing"
)

// FuzzDSN: for any --db (DISPUTED_DATABASE_URL) naming a SQLite file, the connection string
// either is refused or, cut where the driver cuts it (at the first '?'), names the file the user
// named and carries the user's parameters and all of ours: none lost, none read as part of the
// file name.
func FuzzDSN(f *testing.F) {
	for _, seed := range []string{"disputed.db", "/var/lib/disputed/disputed.db", "file:disputed.db?cache=private",
		"file:/tmp/a%3Fb.db", "/tmp/what?.db", "file:x?", "file:x?_pragma=journal_mode(DELETE)", "", "a&b=c.db", "file:?"} {
		f.Add(seed)
	}
	ours := writeParams
	f.Fuzz(func(t *testing.T, path string) {
		dsn, err := dsnOf(path, ours)
		if err != nil {
			return
		}
		name, query, _ := strings.Cut(dsn, "?")
		userName, userQuery, _ := strings.Cut(path, "?")
		if name != userName {
			t.Fatalf("dsnOf(%q) = %q: the driver opens %q", path, dsn, name)
		}
		got, err1 := url.ParseQuery(query)
		user, err2 := url.ParseQuery(userQuery)
		want, _ := url.ParseQuery(ours)
		if err1 != nil && err2 == nil {
			t.Fatalf("dsnOf(%q) = %q: the parameters no longer parse: %v", path, dsn, err1)
		}
		for k, v := range want {
			user[k] = append(user[k], v...)
		}
		if err1 == nil && err2 == nil && !maps.EqualFunc(got, user, func(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }) {
			t.Fatalf("dsnOf(%q) = %q: parameters %v, want %v", path, dsn, got, user)
		}
	})
}
