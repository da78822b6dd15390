// Package query is the SQL of both stores: sqlc compiles the .sql files in this folder, checked
// against the schema in ../migrations, into the Go methods beside them. The SQL is written once
// for PostgreSQL's syntax and kept to what SQLite also runs; the SQLite store only rewrites the
// $N placeholders. Everything but this file and the .sql files is generated: edit the SQL and
// run go generate.
//
// Every INSERT ends in ON CONFLICT DO NOTHING and reports how many rows it wrote: the store turns
// a row not written into store.ErrConflict. A unique violation raised as an error would abort the
// whole transaction on PostgreSQL (not on SQLite), while a caller may carry on after a conflict,
// say when an email it blocks is already on the block list. The upserts are ScheduleJob (ON
// CONFLICT DO UPDATE on the key, guarded by NOT EXISTS against a taken id) and the counters a
// transaction adds to when it commits (CountSales, CountRuleActs).
//
// Statements that the two databases cannot share (ClaimJobs, NextJobAt) are not here but in the
// sqlite and postgres packages, one small file each, handed over in sqlstore.Dialect.
package query

//go:generate sqlc generate -f ../sqlc.yaml
