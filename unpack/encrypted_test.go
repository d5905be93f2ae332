package unpack

import (
	"strings"
	"testing"
)

func TestPasswordCandidates(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // must be among the candidates
	}{
		{"english colon", "Hello,\nPassword: Inv0ice#2024\nRegards", "Inv0ice#2024"},
		{"english is", "The password is abc123.", "abc123"},
		{"english quoted", `Use the password "open sesame" to view the file`, "open sesame"},
		{"english next line", "Archive password:\n\n  Qx7-99\n", "Qx7-99"},
		{"ends in bang", "password: Summer2024!", "Summer2024!"},
		{"pw short", "PW 4711 for the zip", "4711"},
		{"pwd", "pwd=hunter2", "hunter2"},
		{"german", "Das Passwort lautet: Rechnung2024", "Rechnung2024"},
		{"french", "Le mot de passe est « secret99 »", "secret99"},
		{"spanish", "La contraseña: clave77", "clave77"},
		{"japanese colon", "添付ファイルのパスワード：Ab12Cd", "Ab12Cd"},
		{"japanese wa", "パスワードはxy9876です。", "xy9876"},
		{"japanese brackets", "パスワードは「Kensa2024」です", "Kensa2024"},
		{"japanese next line", "【パスワード】\nQwerty12", "Qwerty12"},
		{"chinese", "密码是8888", "8888"},
		{"chinese colon", "解压密码：abc-999", "abc-999"},
		{"html entity", "Password:&nbsp;zz99", "zz99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.text
			if strings.Contains(text, "&") {
				text = htmlText(text)
			}
			got := PasswordCandidates(text)
			for _, g := range got {
				if g == tt.want {
					return
				}
			}
			t.Errorf("PasswordCandidates(%q) = %q, want %q among them", tt.text, got, tt.want)
		})
	}
	for _, text := range []string{"", "nothing here", "upward passage", "We compass the topic"} {
		if got := PasswordCandidates(text); len(got) != 0 {
			t.Errorf("PasswordCandidates(%q) = %q, want none", text, got)
		}
	}
	long := strings.Repeat("password: x ", 10000)
	if got := PasswordCandidates(long); len(got) > maxPerText {
		t.Errorf("%d candidates, want at most %d", len(got), maxPerText)
	}
}

func TestEncryptedZip(t *testing.T) {
	plain := []byte(marker)
	tests := []struct {
		name, subject, body string
		content             []byte
		config              []string
		unlockedBy          string // "" when it must stay locked
	}{
		{"zipcrypto body english", "Invoice", "Hi,\nthe password is Inv0ice#2024\n", encryptedZip(t, "Inv0ice#2024", 0, entry{"doc.txt", plain}), nil, "body"},
		{"aes256 body japanese", "請求書", "添付ファイルのパスワードは「ひみつ99」です", encryptedZip(t, "ひみつ99", 3, entry{"doc.txt", plain}), nil, "body"},
		{"aes128 subject", "Invoice - password: k3y", "see attachment", encryptedZip(t, "k3y", 1, entry{"doc.txt", plain}), nil, "subject"},
		{"config list", "", "no hint", encryptedZip(t, "infected", 0, entry{"doc.txt", plain}), []string{"infected"}, "config"},
		{"7-Zip zipcrypto", "", "Passwort: Inv0ice#2024", fixture(t, "7z-zipcrypto.zip"), nil, "body"},
		{"7-Zip aes256", "", "Password: Inv0ice#2024", fixture(t, "7z-aes256.zip"), nil, "body"},
		{"wrong password", "", "Password: nope", encryptedZip(t, "right", 3, entry{"doc.txt", plain}), nil, ""},
		{"no password", "", "hello", encryptedZip(t, "right", 0, entry{"doc.txt", plain}), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mail(tt.subject, tt.body, "x.zip", tt.content)
			expand(t, m, Options{Passwords: tt.config})
			z := m.Parts[1]
			name := "2/x.zip/doc.txt"
			if strings.HasPrefix(tt.name, "7-Zip") {
				name = "2/x.zip/marker.txt"
			}
			p := mustPart(t, m, name)
			if tt.unlockedBy == "" {
				mustProblem(t, m, ReasonEncrypted, "2")
				if !z.Encrypted || !p.Encrypted || p.Content != nil {
					t.Errorf("locked: container Encrypted=%v, member Encrypted=%v content %q", z.Encrypted, p.Encrypted, p.Content)
				}
				return
			}
			noProblems(t, m)
			if z.UnlockedBy != tt.unlockedBy || z.Encrypted {
				t.Errorf("UnlockedBy=%q Encrypted=%v, want %q false", z.UnlockedBy, z.Encrypted, tt.unlockedBy)
			}
			if !strings.Contains(string(p.Content), marker) {
				t.Errorf("decrypted content %q", p.Content)
			}
		})
	}
}

func TestPasswordTriesBounded(t *testing.T) {
	var body strings.Builder
	for i := 0; i < 40; i++ {
		body.WriteString("password: wrong" + strings.Repeat("x", i) + "\n")
	}
	body.WriteString("password: right\n")
	m := mail("", body.String(), "x.zip", encryptedZip(t, "right", 0, entry{"a.txt", []byte(marker)}))
	expand(t, m, Options{Limits: Limits{MaxPasswordTries: 5}})
	mustProblem(t, m, ReasonEncrypted, "2")
	if p := problem(m, ReasonEncrypted); !strings.Contains(p.Detail, "5 password tries") {
		t.Errorf("detail %q should say 5 tries", p.Detail)
	}
}

func TestEncrypted7z(t *testing.T) {
	for _, name := range []string{"enc.7z", "enc-headers.7z"} {
		t.Run(name+" opened", func(t *testing.T) {
			m := mail("", "Kennwort: S3cret-7z", "x.7z", fixture(t, name))
			expand(t, m, Options{})
			noProblems(t, m)
			if m.Parts[1].UnlockedBy != "body" {
				t.Errorf("UnlockedBy = %q", m.Parts[1].UnlockedBy)
			}
			if p := mustPart(t, m, "2/x.7z/marker.txt"); !strings.Contains(string(p.Content), marker) {
				t.Errorf("content %q", p.Content)
			}
		})
		t.Run(name+" locked", func(t *testing.T) {
			m := mail("", "no password here", "x.7z", fixture(t, name))
			expand(t, m, Options{})
			mustProblem(t, m, ReasonEncrypted, "2")
			if !m.Parts[1].Encrypted {
				t.Error("container not marked Encrypted")
			}
		})
	}
}
