package heuristic

import (
	"testing"
)

// FuzzFormulaEval: working out a web call's address from attacker-written
// formulas and cells never panics, stays within its bounds, and reads alike
// twice.
func FuzzFormulaEval(f *testing.F) {
	f.Add(`_xlfn.WEBSERVICE(A2&"?q="&_xlfn.ENCODEURL(B1))`, `="https://"&Data!A1&"/x"`, `CONCATENATE(A1,A2)`)
	f.Add(`COM.MICROSOFT.WEBSERVICE([.A2];[$Sheet1.B1:.C9])`, `TEXTJOIN(",",TRUE,A1:Z99)`, `'it''s'!A1&name`)
	f.Add(`WEBSERVICE(R2C1&CHAR(104)&INFO("x"))`, `=A1`, `=A2&A1`)
	f.Fuzz(func(t *testing.T, formula, a2, name string) {
		b := newBook()
		b.first = "sheet1"
		b.cells[cellKey{"sheet1", 2, 1}] = a2
		b.cells[cellKey{"sheet1", 1, 1}] = "=" + formula
		b.names["name"] = name
		eval := func() fval {
			var last fval
			for _, c := range webCallsIn(formula, "sheet1") {
				p := &fparser{s: c.formula, i: c.at, ev: &evaluator{b: b}, sheet: c.sheet}
				last = p.expr()
			}
			p := &fparser{s: formula, ev: &evaluator{b: b}, sheet: "sheet1"}
			v := p.expr()
			return fval{s: last.s + v.s, pieces: append(last.pieces, v.pieces...)}
		}
		v := eval()
		if len(v.s) > 2*maxEvalLen || len(v.pieces) > 2*maxPieces {
			t.Fatalf("%d bytes, %d pieces", len(v.s), len(v.pieces))
		}
		if w := eval(); w.s != v.s {
			t.Fatalf("read %q, then %q", v.s, w.s)
		}
	})
}
