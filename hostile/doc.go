// Package hostile holds no code: its tests throw attacker-shaped input at the
// whole pipeline (real YARA, heuristics, unpacking, the milter) and check
// that each ends in its documented outcome within bounded time and memory,
// without a panic, a leaked goroutine or a file written; and that the milter
// survives MTA connections that drop, stall or send garbage.
package hostile
