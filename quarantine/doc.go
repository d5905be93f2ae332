// Package quarantine keeps messages aside: a Store (SQLite on one host,
// PostgreSQL for several hosts sharing one quarantine), release by SMTP with
// the original envelope (Relay), and retention (Purge, RunPurger).
//
// Storage choices, and why:
//
//   - Message bodies live in the database, zstd-compressed, in their own table
//     (quarantine_bodies) written in the same transaction as the index row.
//     One commit makes an entry appear whole or not at all: no orphan files,
//     no index row pointing at a missing file, nothing to clean up after a
//     crash. With PostgreSQL every Kensa host sees every body, which files on
//     one host's disk could not give. Put returns after the commit, so the
//     message is durable when the milter tells the MTA to discard it
//     (SQLite: WAL with synchronous=FULL; PostgreSQL: its default
//     synchronous_commit=on).
//   - Times are BIGINT microseconds since the Unix epoch (UTC) on both
//     backends, so one set of SQL serves both.
//   - Recipients have their own table, indexed by lower-cased address and by
//     domain: end users list only their own address's quarantine, and a
//     release can go to some recipients and not others.
//   - Schema migrations are ours (table quarantine_schema), applied by Open in
//     one transaction: BEGIN IMMEDIATE on SQLite and an advisory lock on
//     PostgreSQL, so two hosts starting at once apply each step once.
//
// Release and purge never race: a release first marks the entry (lock_until,
// a lease) in one conditional UPDATE; Purge and Delete skip marked entries,
// and a second release sees the mark and returns ErrBusy. A release that
// crashes mid-way leaves the mark until the lease runs out (twice
// Options.ReleaseTimeout), after which the entry can be released or purged.
package quarantine
