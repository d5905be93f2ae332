package heuristic

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/scanners"
)

// hdrMail is a message with the given header lines, read by message.Parse
// as a real one is, with an optional envelope sender.
func hdrMail(envSender string, lines ...string) *message.Message {
	raw := strings.Join(lines, "\r\n") + "\r\nTo: kenji@corp.example.jp\r\nSubject: Notice\r\n\r\nPlease read.\r\n"
	m, err := message.Parse([]byte(raw))
	if err != nil {
		panic(err)
	}
	m.Envelope.Sender = envSender
	return m
}

func from(v string, more ...string) *message.Message {
	return hdrMail("", append([]string{"From: " + v}, more...)...)
}

// attached is a forward carrying a message from innerFrom: as a
// message/rfc822 part, or (eml) as an .eml file unpack opened.
func attached(innerFrom string, eml bool) *message.Message {
	inner := "From: " + innerFrom + "\r\nTo: jo@acme.example\r\nSubject: Invoice 7731\r\n\r\nThe invoice is attached.\r\n"
	if eml {
		m := from(`Jo <jo@acme.example>`)
		m.Parts = append(m.Parts, part("2", []byte(inner), named("invoice.eml"), declared("application/octet-stream"), container()))
		return m
	}
	raw := "From: Jo <jo@acme.example>\r\nTo: kenji@corp.example.jp\r\nSubject: Fwd: Invoice\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee the attached message.\r\n" +
		"--b\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "--b--\r\n"
	m, err := message.Parse([]byte(raw))
	if err != nil {
		panic(err)
	}
	return m
}

// outlookSender is a forward carrying an Outlook .msg whose shown sender
// (unpack's sender block) is v.
func outlookSender(v string) *message.Message {
	m := from(`Jo <jo@acme.example>`)
	m.Parts = append(m.Parts, part("2", []byte("\xd0\xcf\x11\xe0 stand-in"), named("Invoice.msg"), container()),
		part("2/Invoice.msg/sender.txt", []byte("From: "+v+"\r\n"), declared(filetype.RFC822Headers)))
	return m
}

func senderCases() map[string][]sample {
	const wm = wholeMessage // an attached message's findings name its part instead
	return map[string][]sample{
		"display-name-domain": {
			{"address in quotes", from(`"security@paypal.com" <x@evil.example>`), wm},
			{"domain in the name", from(`"paypal.com Support" <a@b.example>`), wm},
			{"unquoted address before the address", from(`security@paypal.com <x@evil.example>`), wm},
			{"address after the brackets", from(`<x@evil.example> "security@paypal.com"`), wm},
			{"encoded word, UTF-8", from(`=?utf-8?q?security=40paypal=2Ecom?= <x@evil.example>`), wm},
			{"encoded word inside quotes", from(`"=?utf-8?b?c2VjdXJpdHlAcGF5cGFsLmNvbQ==?=" <x@evil.example>`), wm},
			{"encoded word, UTF-16", from(`=?utf-16be?b?AHMAZQBjAHUAcgBpAHQAeQBAAHAAYQB5AHAAYQBsAC4AYwBvAG0=?= <x@evil.example>`), wm},
			{"encoded full-width, Shift_JIS", from(`=?shift_jis?b?gpOChYKSgpaCiYKDgoWBl4KQgoGCmYKQgoGCjIFEgoOCj4KN?= <x@evil.example>`), wm},
			{"full-width at and dot", from("\"service\uFF20paypal\uFF0Ecom\" <x@evil.example>"), wm},
			{"ideographic full stop", from("\"paypal\u3002com\" <x@evil.example>"), wm},
			{"zero-width space", from("\"service@pay\u200Bpal.com\" <x@evil.example>"), wm},
			{"right-to-left override", from("\"\u202Emoc.lapyap@ecivres\" <x@evil.example>"), wm},
			{"lookalike letters", from("\"support@micr\u043Esoft.com\" <x@evil.example>"), wm},
			{"escaped quotes", from(`"security\@paypal\.com \"Team\"" <x@evil.example>`), wm},
			{"comment for a name", from(`x@evil.example (security@paypal.com)`), wm},
			{"pushed far right", from(`"security@paypal.com` + strings.Repeat(" ", 5000) + `" <x@evil.example>`), wm},
			{"group", from(`paypal.com: x@evil.example;`), wm},
			{"no address", from(`"service@paypal.com"`), wm},
			{"whole field encoded", from(`=?utf-8?q?security=40paypal=2Ecom_=3Cx=40evil=2Eexample=3E?=`), wm},
			{"second From field", from(`Jo <jo@acme.example>`, `From: "service@paypal.com" <x@evil.example>`), wm},
			{"second address", from(`Jo <jo@acme.example>, "service@paypal.com" <x@evil.example>`), wm},
			{"Sender", from(`Jo <jo@acme.example>`, `Sender: "security@paypal.com" <x@evil.example>`), wm},
			{"local part of a brand", from(`"paypal.com" <paypal.com@evil.example>`), wm},
			{"list rewrite without the author", from(`"security@paypal.com via Notices" <x@evil.example>`, "List-Id: <n.evil.example>"), wm},
			// Honest twins.
			{"own address", from(`"jo@acme.example" <jo@acme.example>`), ""},
			{"own address, other case", from(`"Jo@Acme.Example" <jo@acme.example>`), ""},
			{"own domain", from(`"Example Shop (shop.example.com)" <news@mail.shop.example.com>`), ""},
			{"same name, other suffix", from(`"Acme.com" <info@acme.de>`), ""},
			{"brand's other domain", from(`"Microsoft.com" <no-reply@email.microsoftonline.com>`), ""},
			{"name is the local part", from(`"anna.li" <anna.li@corp.example>`), ""},
			{"mailing list", from(`"Jo Smith via Dev-list" <dev@lists.example>`, "List-Id: <dev.lists.example>"), ""},
			{"Google Groups", from(`"'jo@acme.example' via Dev" <dev@googlegroups.com>`, "List-Id: <dev.googlegroups.com>", "Reply-To: jo@acme.example"), ""},
			{"a survey sent for its user", from(`"jo@acmecorp.com via SurveyMonkey" <member@surveymonkeyuser.com>`), ""},
			{"a share sent for its user", from(`"john.smith@acmecorp.com (via Google Drive)" <drive-shares-dm-noreply@google.com>`), ""},
			{"a booking sent for its user", from(`"John Smith (john@acmecorp.com)" <noreply@calendly.com>`), ""},
			{"a help desk's own address", from(`"support@acmecorp.com" <support@acmecorp.zendesk.com>`), ""},
			{"a brand's address through a survey service", from(`"security@paypal.com via SurveyMonkey" <member@surveymonkeyuser.com>`), wm},
			{"initials and titles", from(`"Dr. J. Smith, Ph.D., v2.0" <js@uni.example>`), ""},
			{"plain", from(`Jo Smith <jo@acme.example>`), ""},
			{"address only", from(`jo@acme.example`), ""},
			// Reserved names, Reply-To, attached messages.
			{"reserved names", from(`"security@paypal.example" <x@evil.test>`), wm},
			{"reserved domain in the name", from(`"paypal.example Support" <a@b.invalid>`), wm},
			{"example.com in the name", from(`"billing@example.com" <a@b.test>`), wm},
			{"Reply-To name", from(`Billing <billing@invoices.example>`, `Reply-To: "security@paypal.com" <x@evil.example>`), wm},
			{"attached message", attached(`"security@paypal.com" <x@evil.example>`, false), "2"},
			{"attached .eml", attached(`"security@paypal.com" <x@evil.example>`, true), "2"},
			{"own reserved domain", from(`"shop.example.com News" <news@shop.example.com>`), ""},
			{"own address in Reply-To", from(`Jo <jo@acme.example>`, `Reply-To: "jo@acme.example" <jo@acme.example>`), ""},
			{"attached message from its own address", attached(`"service@paypal.com" <service@paypal.com>`, false), ""},
		},
		"display-name-brand": {
			{"Reply-To name", from(`Billing <billing@invoices.example>`, `Reply-To: "PayPal Support" <x@evil.example>`), wm},
			{"reserved domain", from(`"security@paypal.example" <x@evil.test>`), wm},
			{"attached message", attached(`"PayPal" <service@account-notice.example>`, false), "2"},
			{"attached .eml", attached(`"Microsoft 365 Security" <alerts@m365-notice.example>`, true), "2"},
			{"Outlook message's sender", outlookSender(`"PayPal" <x@evil.example>`), "2/Invoice.msg/sender.txt"},
			{"Outlook message from the brand", outlookSender(`"Microsoft account team" <account-security-noreply@accountprotection.microsoft.com>`), ""},
			{"AWS sign-up", from(`"Amazon Web Services" <no-reply@signup.aws>`), ""},
			{"SharePoint share", from(`"SharePoint Online" <no-reply@sharepointonline.com>`), ""},
			{"Apple ID", from(`Apple <appleid@id.apple.com>`), ""},
			{"App Store receipt", from(`"Apple" <do_not_reply@itunes.com>`), ""},
			{"Prime Video", from(`"Amazon Prime Video" <no-reply@primevideo.com>`), ""},
			{"Microsoft's top-level domain", from(`"Microsoft Security" <security@news.microsoft>`), ""},
			{"brand's own Reply-To", from(`PayPal <service@paypal.com>`, `Reply-To: "PayPal" <noreply@e.paypal.com>`), ""},
			{"forwarded brand mail", attached(`PayPal <service@paypal.com>`, false), ""},
			{"forwarded brand mail, .eml", attached(`"Microsoft account team" <account-security-noreply@accountprotection.microsoft.com>`, true), ""},
			{"brand", from(`"PayPal" <service@account-notice.example>`), wm},
			{"Cyrillic a", from("\"P\u0430yPal Service\" <service@account-notice.example>"), wm},
			{"zero for o", from(`"Micr0soft Account Team" <team@account-notice.example>`), wm},
			{"split words", from(`"Pay Pal" <service@account-notice.example>`), wm},
			{"split letters", from(`"P a y P a l" <service@account-notice.example>`), wm},
			{"typo", from(`"Micorsoft Security" <service@account-notice.example>`), wm},
			{"Amazon alone", from(`Amazon <orders@account-notice.example>`), wm},
			{"Amazon.com", from(`Amazon.com <orders@account-notice.example>`), wm},
			{"Chase with a lure word", from(`"Chase Account Alert" <alerts@account-notice.example>`), wm},
			{"on an ESP's domain", from(`PayPal <paypal@paypal.esp.example>`), wm},
			{"Sender", from(`Jo <jo@acme.example>`, `Sender: DocuSign <x@evil.example>`), wm},
			{"service in parentheses without its Sender", from(`"Jo (Google Calendar)" <jo@acme.example>`), wm},
			{"encoded", from(`=?utf-8?q?Dropbox_Team?= <share@account-notice.example>`), wm},
			// Honest twins.
			{"DocuSign from docusign.net", from(`"Jo Smith via DocuSign" <dse_na2@docusign.net>`), ""},
			{"Microsoft's other domains", from(`"Microsoft account team" <account-security-noreply@accountprotection.microsoft.com>`), ""},
			{"Microsoft from microsoftonline", from(`Microsoft <no-reply@email.microsoftonline.com>`), ""},
			{"Amazon UK", from(`Amazon.co.uk <auto-confirm@amazon.co.uk>`), ""},
			{"Amazon marketplace", from(`"Amazon Marketplace" <seller-answers@marketplace.amazon.de>`), ""},
			{"PayPal Germany", from(`PayPal <service@paypal.de>`), ""},
			{"PayPal newsletter", from(`PayPal <paypal@e.paypal.com>`), ""},
			{"Facebook's mail domain", from(`Facebook <notification@facebookmail.com>`), ""},
			{"calendar on behalf", from(`"Jo Smith (Google Calendar)" <jo@acme.example>`, `Sender: Google Calendar <calendar-notification@google.com>`), ""},
			{"person named Chase", from(`"Chase Miller" <chase@acme.example>`), ""},
			{"the office", from(`Office <office@smallbiz.example>`), ""},
			{"local business", from(`"Apple Valley Dental" <info@applevalleydental.example>`), ""},
			{"help desk", from(`"Acme Support" <support@acme.zendesk.com>`), ""},
			{"Exchange's own report", from(`Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@corp.example.jp>`), ""},
			{"Exchange's report from a stranger", from(`Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@evil.example>`), wm},
			{"savings bank", from(`"Sparkasse KölnBonn" <info@sparkasse-koelnbonn.de>`), ""},
			{"mailing list", from(`"Jo Smith via Dev-list" <dev@lists.example>`, "List-Id: <dev.lists.example>"), ""},
		},
		"sender-lookalike-domain": {
			{"From", from(`PayPal <service@paypa1.example>`), wm},
			{"Reply-To", from(`Jo <jo@acme.example>`, "Reply-To: jo@rnicrosoft.example"), wm},
			{"Sender", from(`Jo <jo@acme.example>`, "Sender: x@secure-paypal.example"), wm},
			{"envelope", hdrMail("bounce@docusign-secure.example", "From: Jo <jo@acme.example>"), wm},
			{"Return-Path", from(`Jo <jo@acme.example>`, "Return-Path: <b@apple-id-verify.example>"), wm},
			{"protected domain", from(`"CEO" <ceo@acme-payro11.example>`), wm},
			{"punycode", from(`x <x@xn--pypal-4ve.example>`), wm},
			{"address outside brackets, as Python reads it", from(`service@paypa1.example <x@acme.example>`), wm},
			// Honest twins.
			{"brand itself", from(`PayPal <service@paypal.com>`), ""},
			{"brand as an ESP subdomain (display-name-brand's matter)", from(`News <news@paypal.esp.example>`), ""},
			{"protected itself", from(`"CEO" <ceo@acme-payroll.example>`), ""},
			{"brand's own glued domain", hdrMail("bounce@adobesign.com", "From: Adobe Sign <echosign@adobesign.com>"), ""},
		},
		"display-name-protected": {
			{"helpdesk from Gmail", from(`"Acme Payroll IT Helpdesk" <acme.helpdesk@gmail.com>`), wm},
			{"payroll from another company", from(`"AcmePayroll Payroll Team" <payroll@acme-hr.example>`), wm},
			{"the name alone", from(`"ACME-PAYROLL" <notice@mailer.example>`), wm},
			{"letters spaced", from(`"A c m e P a y r o l l Security" <x@evil.example>`), wm},
			{"lookalike letters", from("\"Acme P\u0430yroll HR\" <x@evil.example>"), wm},
			{"glued to a word", from(`"AcmePayrollIT" <x@evil.example>`), wm},
			{"no address", from(`"Acme Payroll Security Team"`), wm},
			{"Reply-To", from(`Notices <n@notices.example>`, `Reply-To: "Acme Payroll Benefits" <benefits@evil.example>`), wm},
			{"attached message", attached(`"Acme Payroll Accounts Payable" <ap@evil.example>`, false), "2"},
			{"own domain", from(`"Acme Payroll IT" <it@acme-payroll.example>`), ""},
			{"own subdomain", from(`"Acme Payroll IT" <it@mail.acme-payroll.example>`), ""},
			{"its tenant at a provider", from(`"Acme Payroll Support" <support@acme-payroll.zendesk.com>`), ""},
			{"a partner's portal", from(`"Acme Payroll via Partner Portal" <noreply@partnerportal.example>`), ""},
			{"a vendor's newsletter", from(`"Widgets Inc for Acme Payroll" <news@widgets.example>`), ""},
			{"a person at a partner", from(`"Jo Smith (Acme Payroll)" <jo@partner.example>`), ""},
			{"other check: a person from Gmail", from(`"Jo Smith (Acme Payroll)" <jo.smith@gmail.com>`), ""},
			{"another company", from(`"Acme Supplies Sales" <sales@acmesupplies.example>`), ""},
			{"no protected domain named", from(`"IT Helpdesk" <helpdesk@gmail.com>`), ""},
		},
		"display-name-protected-freemail": {
			{"a person from Gmail", from(`"Jo Smith (Acme Payroll)" <jo.smith@gmail.com>`), wm},
			{"CEO from Yahoo", from(`"J. Doe - Acme Payroll CEO" <ceo.jd@yahoo.com>`), wm},
			{"a person at a partner", from(`"Jo Smith (Acme Payroll)" <jo@partner.example>`), ""},
			{"a person at the company", from(`"Jo Smith (Acme Payroll)" <jo@acme-payroll.example>`), ""},
			{"other check: the desk from Gmail", from(`"Acme Payroll IT Helpdesk" <x@gmail.com>`), ""},
		},
		"reply-to-freemail": {
			{"protected From, Gmail", from(`"CEO" <ceo@acme-payroll.example>`, "Reply-To: ceo.private@gmail.com"), wm},
			{"brand From, Yahoo", from(`PayPal <service@paypal.com>`, "Reply-To: <help@yahoo.co.jp>"), wm},
			{"ordinary From", from(`Jo <jo@acme.example>`, "Reply-To: jo@gmail.com"), ""},
			{"same owner", from(`Google <drive-shares-noreply@google.com>`, "Reply-To: jo@gmail.com"), ""},
			{"other company", from(`"CEO" <ceo@acme-payroll.example>`, "Reply-To: ceo@other.example"), ""},
			{"an Outlook.com user answering at Yahoo", from(`Jo <jo@outlook.com>`, `Reply-To: jo@yahoo.com`), ""},
		},
		"reply-to-diverted": {
			{"protected From, other company", from(`"CEO" <ceo@acme-payroll.example>`, "Reply-To: ceo@other.example"), wm},
			{"brand From, help desk", from(`PayPal <service@paypal.com>`, "Reply-To: support@helpdesk.example"), wm},
			{"same domain", from(`"CEO" <ceo@acme-payroll.example>`, "Reply-To: assistant@mail.acme-payroll.example"), ""},
			{"same brand", from(`PayPal <service@paypal.com>`, "Reply-To: help@paypal.de"), ""},
			{"freemail", from(`"CEO" <ceo@acme-payroll.example>`, "Reply-To: ceo.private@gmail.com"), ""},
			{"a Gmail user answering at work", from(`"Jo Smith" <jo.smith@gmail.com>`, `Reply-To: "Jo Smith" <jo@acme.example>`), ""},
		},
	}
}

func TestMailboxes(t *testing.T) {
	cases := []struct {
		v    string
		want []mailbox
	}{
		{`Jo <jo@Acme.example>`, []mailbox{{"Jo", "jo@acme.example"}}},
		{`"a, b" <x@y.example>, c@d.example`, []mailbox{{"a, b", "x@y.example"}, {"", "c@d.example"}}},
		{`x@y.example (Jo (the) Smith)`, []mailbox{{"Jo (the) Smith", "x@y.example"}}},
		{`"a\"b" <x@y.example>`, []mailbox{{`a"b`, "x@y.example"}}},
		{`team: a@b.example, c@d.example;, e@f.example`, []mailbox{{"team", "a@b.example"}, {"team", "c@d.example"}, {"", "e@f.example"}}},
		{`<@relay.example:x@y.example>`, []mailbox{{"", "x@y.example"}}},
		{`"unterminated <x@y.example>`, []mailbox{{"unterminated <x@y.example>", ""}}},
		{`a <x@y.example> <z@w.example>`, []mailbox{{"a", "x@y.example"}, {"a", "z@w.example"}}},
	}
	for _, c := range cases {
		got := mailboxes(c.v)
		if len(got) != len(c.want) {
			t.Errorf("%q: got %q, want %q", c.v, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%q: got %q, want %q", c.v, got, c.want)
			}
		}
	}
	// Bounded however many addresses a field holds.
	if got := mailboxes(strings.Repeat("a@b.example,", 10000)); len(got) != maxMailboxes {
		t.Errorf("%d mailboxes, want %d", len(got), maxMailboxes)
	}
}

// The honest twins of each sender check get no suspicious finding from
// any of them: a twin clean for its own check must not trip another.
func TestSenderTwinsClean(t *testing.T) {
	s := newScanner(t)
	for id, samples := range senderCases() {
		for _, sm := range samples {
			if sm.part != "" || strings.HasPrefix(sm.name, "freemail") || strings.HasPrefix(sm.name, "other company") || strings.HasPrefix(sm.name, "other check") {
				continue
			}
			for _, f := range scan(t, s, sm.m) {
				if f.Severity >= scanners.Suspicious && f.Part == "" {
					t.Errorf("%s/%s: %s: %s", id, sm.name, f.ID, f.Detail)
				}
			}
		}
	}
}

func FuzzMailboxes(f *testing.F) {
	for _, s := range []string{`"security@paypal.com" <x@evil.example>`, `a: b@c.example;`, `x@y (z (w))`,
		`=?utf-8?q?a=40b.example_=3Cx=40y=3E?=`, `"\`, `<<<@:>`, `"a" "b" <c@d>, , ;:`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		mbs := mailboxes(v)
		if len(mbs) > maxMailboxes {
			t.Fatalf("%d mailboxes", len(mbs))
		}
		for _, mb := range mbs {
			if n := len([]rune(mb.name)); n > maxNameRunes+1 {
				t.Fatalf("name of %d runes", n)
			}
			if strings.ToLower(mb.addr) != mb.addr {
				t.Fatalf("address %q not lower-cased", mb.addr)
			}
			if len(nameDomains(mb.name)) > 8 {
				t.Fatal("more than 8 domains")
			}
		}
		// Deterministic.
		again := mailboxes(v)
		for i := range mbs {
			if again[i] != mbs[i] {
				t.Fatalf("two readings differ: %q %q", mbs, again)
			}
		}
	})
}

// pyAddresses reads each From value with Python's email package (policy
// default, the RFC 5322 parser): for each value, its mailboxes as [group
// name, display name, addr-spec, domain].
func pyAddresses(t *testing.T, values []string) [][][4]string {
	t.Helper()
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Fatalf("%s not found (Debian's python3, which scripts/deps.sh test relies on): %v", py, err)
	}
	script := `import sys, json, email
from email import policy
out = []
for v in json.load(sys.stdin):
    m = email.message_from_string("From: " + v + "\n\n", policy=policy.default)
    res = []
    for g in m["From"].groups:
        for a in g.addresses:
            res.append([g.display_name or "", a.display_name, a.addr_spec, a.domain])
    out.append(res)
json.dump(out, sys.stdout)
`
	in, _ := json.Marshal(values)
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var out [][][4]string
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// The address reader is held to Python's email package, a real RFC 5322
// parser: every address Python reads in a From (with a domain) is one of
// ours, and the display name and group name Python gives it are in the
// name we give it. Kensa reads more than Python (comments as names, the
// field decoded whole), never less.
func TestMailboxesAgreeWithPython(t *testing.T) {
	var values []string
	for _, samples := range senderCases() {
		for _, sm := range samples {
			values = append(values, sm.m.Origin.From...)
		}
	}
	values = append(values, `"a, b" <x@y.example>, c@d.example`, `x@y.example (Jo (the) Smith)`, `"a\"b" <x@y.example>`,
		`team: a@b.example, Jo <c@d.example>;, e@f.example`, `=?iso-8859-1?q?J=F6rg?= <j@acme.example>`,
		`"=?utf-8?q?Caf=C3=A9?= Bar" <bar@acme.example>`, `Jo Smith <Jo.Smith@Acme.Example>`)
	py := pyAddresses(t, values)
	for i, v := range values {
		ours := mailboxes(v)
		for _, p := range py[i] {
			if p[3] == "" { // no domain: Python read no address
				continue
			}
			addr := strings.ToLower(p[2])
			group, name := strings.TrimSpace(p[0]), strings.TrimSpace(p[1]) // names are shown trimmed
			found := false
			for _, mb := range ours {
				if mb.addr == addr && strings.Contains(mb.name, group) && strings.Contains(mb.name, name) {
					found = true
				}
			}
			if !found {
				t.Errorf("%q: Python reads %q (group %q, name %q); ours: %q", v, addr, p[0], p[1], ours)
			}
		}
	}
}
