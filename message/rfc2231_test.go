package message

import "testing"

func TestFileName(t *testing.T) {
	tests := []struct {
		name, cd, ct, enmime, want string
		dup                        bool
	}{
		{"enmime's plain name", `attachment; filename="a.pdf"`, "application/pdf", "a.pdf", "a.pdf", false},
		{"quoted semicolon", `attachment; filename*=UTF-8''x.pdf; foo="a;b"`, "", "", "x.pdf", false},
		{"extended beats plain", `attachment; filename="old.txt"; filename*=UTF-8''new.exe`, "", "old.txt", "new.exe", false},
		{"continuations out of order", `attachment; filename*1="b.exe"; filename*0="a"`, "", "", "ab.exe", false},
		{"missing language quote", `attachment; filename*=utf-8'x.exe`, "", "", "x.exe", false},
		{"gap ends the name", `attachment; filename*0=a; filename*2=c`, "", "", "a", false},
		{"name from Content-Type", "attachment", "application/x; name*=windows-1252''%80.exe", "", "€.exe", false},
		{"plain CD filename wins over CT", `attachment; filename=cd.txt`, "application/x; name*=utf-8''ct.exe", "cd.txt", "cd.txt", false},
		{"repeated plain", `attachment; filename=a.pdf; filename=b.exe`, "", "a.pdf", "a.pdf", true},
		{"repeated extended", `attachment; filename*=utf-8''a.pdf; filename*=utf-8''b.exe`, "", "", "a.pdf", true},
		{"unknown charset keeps bytes", `attachment; filename*=x-martian''ab%41.exe`, "", "", "abA.exe", false},
		{"invalid UTF-8 replaced", `attachment; filename*=utf-8''%FF.exe`, "", "", "\uFFFD.exe", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, dup := fileName(tc.cd, tc.ct, tc.enmime)
			if got != tc.want || dup != tc.dup {
				t.Errorf("fileName = %q, %v; want %q, %v", got, dup, tc.want, tc.dup)
			}
		})
	}
}
