package unpack

import (
	"slices"
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
		{"german filler", "Das Passwort für die Datei lautet Rechnung2024", "Rechnung2024"},
		{"french filler", "Le mot de passe du fichier est secret99", "secret99"},
		{"spanish filler", "La contraseña del archivo es clave77", "clave77"},
		{"spanish clave", "La clave es 4471", "4471"},
		{"portuguese", "A senha do arquivo é abc-123", "abc-123"},
		{"dutch", "Het wachtwoord is Factuur-88", "Factuur-88"},
		{"polish", "Hasło do pliku to Faktura9", "Faktura9"},
		{"italian", "La parola d'ordine è Fattura1", "Fattura1"},
		{"italian password", "La password per aprire il file è Fattura2", "Fattura2"},
		{"russian", "Пароль от архива Schet-55", "Schet-55"},
		{"turkish", "Şifre: Fatura77", "Fatura77"},
		{"korean", "비밀번호는 Ab1234입니다", "Ab1234"},
		{"full-width digits", "Password: ４４７１", "4471"},
		{"japanese full-width", "パスワード：ＡＢ４４７１", "AB4471"},
		{"arabic-indic digits", "Password: ٤٤٧١", "4471"},
		{"mathematical digits", "Password: 𝟒𝟒𝟕𝟏", "4471"},
		{"zero-width in the word", "Pass\u200bw\u200cord: 4471", "4471"},
		{"zero-width in the password", "Password: 44\u200b71", "4471"},
		{"spaced out", "The password is: 1 2 3 4", "1234"},
		{"spaced pairs", "password is 7h 3x", "7h3x"},
		{"arrow", "pw → 7h3x", "7h3x"},
		{"arrow glued", "PW→7h3x", "7h3x"},
		{"ascii arrow", "Password => 7h3x", "7h3x"},
		{"dotted i", "İnvoice password: Zz-1", "Zz-1"},
		{"cyrillic look-alikes", "Password: АВ12сх", "AB12cx"},
		{"greek look-alikes", "Password: ΟΚ-77", "OK-77"},
		{"russian stays", "Пароль: Привет12", "Привет12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.text
			if strings.Contains(text, "&") {
				text, _ = markupText("text/html", text)
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

// TestMarkupText: a page's text as Chromium shows it, in lines (the
// elements' and styles' hiding as TestShownTextInChromium holds
// showntext to), an Office XML part's as Word shows it, plain text as
// written.
func TestMarkupText(t *testing.T) {
	for _, tt := range []struct {
		typ, text, shown string
		asWritten        bool
	}{
		{"text/html", `<p>Pass<span>wo</span>rd: 44<span style="display: none">zz</span>71</p>`, "Password: 4471", false},
		{"text/html", `<style>p{}</style><div hidden>x</div><table><tr><td>Password:</td><td>4471</td></tr></table>`, "Password:\n4471", false},
		{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", `<w:p><w:r><w:t>Pass</w:t></w:r><w:r><w:t>word: 1</w:t></w:r></w:p>`, "Password: 1\n", false},
		{"text/html", `a<br>b<span style="font-size:0px">c</span><img src=x>d`, "a\nbd", false},
		{"text/html", `<style>.pw{display:none}</style><p class=pw>Password: decoy1</p><p>Password: Zq4471</p>`, "Password: Zq4471", false},
		{"text/plain", `<https://example.com/> Password: Zq4471`, "Password: Zq4471", true},
		{"text/plain", "Password: Zq4471", "Password: Zq4471", false},
	} {
		shown, asWritten := markupText(tt.typ, tt.text)
		if shown != tt.shown || asWritten != tt.asWritten {
			t.Errorf("markupText(%q, %q) = %q, %v; want %q, %v", tt.typ, tt.text, shown, asWritten, tt.shown, tt.asWritten)
		}
	}
}

func TestNameCandidates(t *testing.T) {
	for name, want := range map[string]string{
		"Invoice_PW_4471.zip":       "4471",
		"doc (pass 1234).zip":       "1234",
		"Rechnung-Passwort-8812.7z": "8812",
		"scan pwd=Ab_12.zip":        "Ab_12",
	} {
		got := nameCandidates(name)
		if !slices.Contains(got, want) {
			t.Errorf("nameCandidates(%q) = %q, want %q among them", name, got, want)
		}
	}
	for _, name := range []string{"invoice.zip", "passage.pdf", "upward.zip", ""} {
		if got := nameCandidates(name); len(got) != 0 {
			t.Errorf("nameCandidates(%q) = %q, want none", name, got)
		}
	}
}
