package unpack

import (
	"strings"
	"testing"

	f "github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// macroDocm is a .docm package carrying macroProject.
func macroDocm(t testing.TB) []byte {
	return zipOf(t,
		entry{"[Content_Types].xml", []byte(`<Types/>`)},
		entry{"word/document.xml", []byte(`<w:document/>`)},
		entry{"word/vbaProject.bin", macroProject()},
	)
}

func TestEncryptedOOXML(t *testing.T) {
	docm := macroDocm(t)
	writers := []struct {
		name  string
		write func(pw string) []byte
	}{
		{"standard", func(pw string) []byte { return f.StandardEncryptedOOXML(docm, pw) }},
		{"agile", func(pw string) []byte { return f.AgileEncryptedOOXML(docm, pw, 100000) }},
		{"agile few spins", func(pw string) []byte { return f.AgileEncryptedOOXML(docm, pw, 7) }},
	}
	for _, w := range writers {
		t.Run(w.name+" default password", func(t *testing.T) {
			m := mail("x", "see attached", "x.docm", w.write(DefaultOfficePassword))
			expand(t, m, Options{})
			noProblems(t, m)
			p := mustPart(t, m, "2/x.docm/EncryptedPackage (decrypted)/word/vbaProject.bin/vba/Module1")
			if !strings.Contains(string(p.Content), "Sub AutoOpen") {
				t.Errorf("module %q", p.Content)
			}
			if u := mustPart(t, m, "2").UnlockedBy; u != "" {
				t.Errorf("UnlockedBy %q for the default password", u)
			}
		})
		t.Run(w.name+" body password", func(t *testing.T) {
			m := mail("x", "Das Passwort lautet: Rechnung-2024\n", "x.docm", w.write("Rechnung-2024"))
			expand(t, m, Options{})
			noProblems(t, m)
			mustPart(t, m, "2/x.docm/EncryptedPackage (decrypted)/word/vbaProject.bin/vba/Module1")
			if u := mustPart(t, m, "2").UnlockedBy; u != "body" {
				t.Errorf("UnlockedBy %q", u)
			}
		})
		t.Run(w.name+" unknown password", func(t *testing.T) {
			m := mail("x", "Password: wrong-one", "x.docm", w.write("unguessable-8f2"))
			expand(t, m, Options{})
			mustProblem(t, m, ReasonEncryptedDoc, "2")
			if p := problem(m, ReasonEncryptedDoc); !strings.Contains(p.Detail, "not opened with the default password or") {
				t.Errorf("detail %q", p.Detail)
			}
			if part(m, "2/x.docm/EncryptedPackage (decrypted)") != nil {
				t.Error("a package came out of a document that did not open")
			}
		})
	}
}

// A hostile spin count cannot burn the CPU: above the format's limit it is
// refused unread, and the message's hashing budget bounds the tries.
func TestEncryptedOOXMLWorkBounded(t *testing.T) {
	docm := macroDocm(t)
	big := f.AgileEncryptedOOXML(docm, "x", 1)
	info := mustPart(t, mailExpanded(t, big), "2/x.docx/EncryptionInfo").Content
	over := strings.Replace(string(info), `spinCount="1"`, `spinCount="10000001"`, 1)
	if _, err := parseEncryptionInfo([]byte(over)); err == nil || !strings.Contains(err.Error(), "spinCount 10000001") {
		t.Errorf("spinCount above the limit: %v", err)
	}
	high := strings.Replace(string(info), `spinCount="1"`, `spinCount="9000000"`, 1)
	oc, err := parseEncryptionInfo([]byte(high))
	if err != nil {
		t.Fatal(err)
	}
	m0 := mail("", "", "x.docx", nil)
	c := &container{w: newWalker(t.Context(), m0, DefaultLimits(), nil), part: m0.Parts[0]}
	why := c.unlockOffice("doc", oc.rounds, func(string) bool { t.Fatal("tried a password costing more than the budget"); return false })
	if !strings.Contains(why, "more than the 3000000 a message may spend") {
		t.Errorf("why %q", why)
	}

	// Office's default 100,000 spins: 20 tries per document, and the message
	// stops after maxOfficeHashRounds whatever the number of documents.
	var body strings.Builder
	for i := range 40 {
		body.WriteString("password: wrong" + strings.Repeat("x", i) + "\n")
	}
	m := mail("", body.String(), "a.zip", zipOf(t,
		entry{"1.docx", f.AgileEncryptedOOXML(docm, "secret-1", 100000)},
		entry{"2.docx", f.AgileEncryptedOOXML(docm, "secret-2", 100000)}))
	expand(t, m, Options{})
	var details []string
	for _, p := range m.Problems {
		if p.Reason == ReasonEncryptedDoc {
			details = append(details, p.Detail)
		}
	}
	// 17 candidates (the body's 16 and the default) for the first, then
	// the budget ends the second's.
	if len(details) != 2 || !strings.Contains(details[0], "default password or 16 others") || !strings.Contains(details[1], "budget of 3000000 password hash rounds was spent after 12 tries here") {
		t.Errorf("details %q", details)
	}
}

func mailExpanded(t *testing.T, doc []byte) *message.Message {
	m := mail("", "", "x.docx", doc)
	expand(t, m, Options{})
	return m
}
