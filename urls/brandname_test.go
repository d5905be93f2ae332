package urls

import (
	"strings"
	"testing"
)

func TestBrandInName(t *testing.T) {
	cases := []struct{ name, brand string }{
		{"PayPal", "paypal"},
		{"PayPal Service", "paypal"},
		{"P\u0430yPal", "paypal"},                          // Cyrillic а
		{"\uFF30\uFF41\uFF59\uFF30\uFF41\uFF4C", "paypal"}, // full-width
		{"Pay\u200BPal", "paypal"},
		{"Pay Pal", "paypal"},
		{"P a y P a l", "paypal"},
		{"Micr0soft Account Team", "microsoft"},
		{"Micorsoft", "microsoft"},
		{"Bank of America Alerts", "bankofamerica"},
		{"Office 365 Security", "office365"},
		{"Amazon", "amazon"},
		{"Amazon.com", "amazon"},
		{"Apple Support", "apple"},
		{"Chase Account Alert", "chase"},
		{"Jo Smith via DocuSign", "docusign"},
		{"Jo (Google Calendar)", "google"},
		// Names and words.
		{"Chase Miller", ""},
		{"Chase", ""},
		{"Office", ""},
		{"Office Team", ""},
		{"Apple Valley Dental", ""},
		{"Adobe Homes Realty", ""},
		{"Zoom Lenses Ltd", ""},
		{"The Outlook Weekly", ""},
		{"Sparkassen Versicherung", ""},
		{"Jo Smith", ""},
		{"", ""},
	}
	for _, c := range cases {
		b, how, ok := BrandInName(c.name)
		if b != c.brand || ok != (c.brand != "") {
			t.Errorf("BrandInName(%q) = %q, %q, %v; want %q", c.name, b, how, ok, c.brand)
		}
	}
}

func TestSendsFrom(t *testing.T) {
	cases := []struct {
		brand, host string
		want        bool
	}{
		{"paypal", "paypal.com", true},
		{"paypal", "e.paypal.com", true},
		{"paypal", "paypal.de", true},
		{"docusign", "docusign.net", true},
		{"dropbox", "mail.hellosign.com", true}, // Dropbox Sign
		{"amazon", "amazon.co.uk", true},
		{"amazon", "marketplace.amazon.de", true},
		{"microsoft", "accountprotection.microsoft.com", true},
		{"microsoft", "email.microsoftonline.com", true},
		{"office365", "microsoft.com", true},
		{"facebook", "facebookmail.com", true},
		{"sparkasse", "sparkasse-koelnbonn.de", true},
		{"paypal", "paypal.esp.example", false},
		{"paypal", "paypal-refunds.example", false},
		{"paypal", "paypa1.com", false},
		{"microsoft", "gmail.com", false},
		{"paypal", "", false},
		// Brands' other real mail domains and their own top-level domains.
		{"amazon", "signup.aws", true},
		{"amazon", "d-9067.awsapps.com", false}, // a customer's portal
		{"amazon", "primevideo.com", true},
		{"microsoft", "sharepointonline.com", true},
		{"microsoft", "email.teams.microsoft.com", true},
		{"microsoft", "engage.xbox.com", true},
		{"microsoft", "news.microsoft", true},
		{"apple", "id.apple.com", true},
		{"apple", "itunes.com", true},
		{"google", "googlegroups.com", true},
		{"google", "about.google", true},
		{"dhl", "dpdhl.com", true},
		{"paypal", "venmo.com", true},
		{"adobe", "acrobat.com", true},
		{"amazon", "amazonses.com", false}, // anyone sends through SES
		{"amazon", "amazonaws.com", false}, // anyone's bucket
		{"amazon", "signup.google", false}, // another owner's top-level domain
		{"paypal", "paypal-community.example", false},
	}
	for _, c := range cases {
		if got := SendsFrom(c.brand, c.host); got != c.want {
			t.Errorf("SendsFrom(%q, %q) = %v", c.brand, c.host, got)
		}
	}
	for host, want := range map[string]string{"e.paypal.com": "paypal", "email.microsoftonline.com": "microsoft",
		"outlook.com": "microsoft", "gmail.com": "google", "acme.example": "", "paypa1.com": "",
		"signup.aws": "amazon", "news.microsoft": "microsoft", "x.example": ""} {
		if got, _ := BrandDomain(host); got != want {
			t.Errorf("BrandDomain(%q) = %q, want %q", host, got, want)
		}
	}
	if !SameOwner("gmail.com", "google.com") || !SameOwner("a.acme.example", "b.acme.example") || SameOwner("paypal.com", "gmail.com") {
		t.Error("SameOwner")
	}
}

func TestVisible(t *testing.T) {
	for in, want := range map[string]string{
		"service\uFF20paypal\uFF0Ecom": "service@paypal.com",
		"paypal\u3002com":              "paypal.com",
		"pay\u200Bpal\u00AD.com":       "paypal.com",
		"\u202Emoc.lapyap":             "paypal.com",
		"a \u202Ecba\u202C d":          "a abc d",
	} {
		if got := Visible(in); got != want {
			t.Errorf("Visible(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProtects(t *testing.T) {
	l, err := NewLookalikes([]string{"kensa-bank.co.uk"})
	if err != nil {
		t.Fatal(err)
	}
	if !l.Protects("mail.kensa-bank.co.uk") || !l.Protects("KENSA-BANK.CO.UK.") || l.Protects("kensa-bank.com") || (*Lookalikes)(nil).Protects("x.example") {
		t.Error("Protects")
	}
}

func TestNamedIn(t *testing.T) {
	l, err := NewLookalikes([]string{"acmecorp.com", "kensa-bank.co.uk", "hp.com"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewLookalikes([]string{"globexcorp.example"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, domain, rest string
	}{
		{"AcmeCorp IT Helpdesk", "acmecorp.com", "it helpdesk"},
		{"Acme Corp Payroll", "acmecorp.com", "payroll"},
		{"ACME-CORP", "acmecorp.com", ""},
		{"AcmeCorp.com Support", "acmecorp.com", "support"},
		{"A c m e C o r p Security", "acmecorp.com", "security"},
		{"Acme C0rp HR", "acmecorp.com", "hr"},                      // zero for o
		{"\u0410cme Corp HR", "acmecorp.com", "hr"},                 // Cyrillic А
		{"AcmeCorpIT", "acmecorp.com", "it"},                        // glued
		{"Jo Smith (AcmeCorp)", "acmecorp.com", "jo smith"},         // a person beside it
		{"Kensa Bank Fraud Team", "kensa-bank.co.uk", "fraud team"}, // hyphens dropped
		{"HP Support", "hp.com", "support"},
		{"AcmeCorp Supplies", "acmecorp.com", "supplies"},
		{"Acme Corporation IT", "acmecorp.com", "corporation it"},
		{"Acme IT Helpdesk", "acmecorp.com", "it helpdesk"},
		{"AcrneCorp IT", "acmecorp.com", "it"}, // rn for m
		{"AcmeCrop HR", "acmecorp.com", "hr"},  // swapped letters
		{"Globex", "", ""},
		{"Acm", "", ""},
		{"Hpx Support", "", ""}, // too short to glue or read through lookalikes
		{"", "", ""},
	}
	for _, c := range cases {
		d, rest, ok := l.NamedIn(c.name)
		if ok != (c.domain != "") || d != c.domain || strings.Join(rest, " ") != c.rest {
			t.Errorf("NamedIn(%q) = %q %q %v, want %q %q", c.name, d, rest, ok, c.domain, c.rest)
		}
	}
	for name, ok := range map[string]bool{"GIobex Corp IT": true, "Globex Corporation Payroll": true, "Gl0bex Helpdesk": true, "Globe Trotters": false} {
		if _, _, got := g.NamedIn(name); got != ok {
			t.Errorf("NamedIn(%q) = %v", name, got)
		}
	}
	if _, _, ok := (*Lookalikes)(nil).NamedIn("AcmeCorp"); ok {
		t.Error("nil Lookalikes names something")
	}
}
