package sqlitetest

import (
	"os"
	"testing"
)

// Damage zeroes a page in the middle of the database file at path, one of its tables' or
// indexes', as a disk that lost a write would: what a backup or a restore must refuse.
func Damage(t testing.TB, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	if _, err := f.WriteAt(make([]byte, page), info.Size()/page/2*page); err != nil {
		t.Fatal(err)
	}
}
