package ceiling

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"time"
)

// Snapshot is what some tables held at a moment: each row's hash per column, by the row's id,
// so that reading the tables again later tells which rows a run inserted and which columns of
// which rows it updated, without keeping a copy of the database in memory.
type Snapshot struct {
	seed   maphash.Seed
	tables []string
	rows   map[string]map[string][]uint64 // table → id → column hashes
}

// Take reads tables, each with an id column as its key, from db.
func Take(ctx context.Context, db *sql.DB, tables ...string) (Snapshot, error) {
	s := Snapshot{seed: maphash.MakeSeed(), tables: tables, rows: map[string]map[string][]uint64{}}
	for _, name := range tables {
		t, key, err := readKeyed(ctx, db, name)
		if err != nil {
			return s, err
		}
		byID := make(map[string][]uint64, len(t.Rows))
		for _, row := range t.Rows {
			byID[fmt.Sprint(row[key])] = s.hashes(row)
		}
		s.rows[name] = byID
	}
	return s, nil
}

// Since reads the snapshot's tables from db again and returns what changed: the rows that are
// new, and for every other row that differs, the columns that do.
func (s Snapshot) Since(ctx context.Context, db *sql.DB) (Changes, error) {
	var c Changes
	for _, name := range s.tables {
		t, key, err := readKeyed(ctx, db, name)
		if err != nil {
			return c, err
		}
		inserted := Table{Name: name, Columns: t.Columns}
		for _, row := range t.Rows {
			id := fmt.Sprint(row[key])
			before, ok := s.rows[name][id]
			if !ok {
				inserted.Rows = append(inserted.Rows, row)
				continue
			}
			u := Update{Table: name, Key: t.Columns[key], KeyValue: row[key]}
			for i, h := range s.hashes(row) {
				if h != before[i] {
					u.Columns = append(u.Columns, t.Columns[i])
					u.Values = append(u.Values, row[i])
				}
			}
			if len(u.Columns) > 0 {
				c.Updates = append(c.Updates, u)
			}
		}
		if len(inserted.Rows) > 0 {
			c.Inserts = append(c.Inserts, inserted)
		}
	}
	return c, nil
}

// readKeyed reads every row of table, which has an id column as its key, and that column's index.
func readKeyed(ctx context.Context, db *sql.DB, table string) (Table, int, error) {
	rows, err := db.QueryContext(ctx, "SELECT * FROM "+table)
	if err != nil {
		return Table{}, 0, err
	}
	t, err := ReadTable(table, rows)
	if err != nil {
		return t, 0, err
	}
	key := slices.Index(t.Columns, "id")
	if key < 0 {
		return t, 0, fmt.Errorf("table %s has no id column", table)
	}
	return t, key, nil
}

// hashes is a hash per value of row; values of different types never hash alike.
func (s Snapshot) hashes(row []any) []uint64 {
	out := make([]uint64, len(row))
	var h maphash.Hash
	h.SetSeed(s.seed)
	for i, v := range row {
		h.Reset()
		var n [8]byte
		switch v := v.(type) {
		case nil:
			h.WriteByte(0)
		case int64:
			h.WriteByte(1)
			binary.LittleEndian.PutUint64(n[:], uint64(v))
			h.Write(n[:])
		case float64:
			h.WriteByte(2)
			binary.LittleEndian.PutUint64(n[:], math.Float64bits(v))
			h.Write(n[:])
		case string:
			h.WriteByte(3)
			h.WriteString(v)
		case []byte:
			h.WriteByte(4)
			h.Write(v)
		case time.Time:
			h.WriteByte(5)
			binary.LittleEndian.PutUint64(n[:], uint64(v.UnixNano()))
			h.Write(n[:])
		default:
			h.WriteByte(6)
			fmt.Fprintf(&h, "%T:%v", v, v)
		}
		out[i] = h.Sum64()
	}
	return out
}
