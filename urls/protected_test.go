package urls

import "testing"

func TestLookalikes(t *testing.T) {
	_, err := NewLookalikes([]string{"kensa-bank.co.uk", "https://Partner.Example.com/"})
	if err == nil {
		t.Fatal("a URL was taken for a domain")
	}
	l, err := NewLookalikes([]string{"kensa-bank.co.uk", "mail.partner-logistics.com"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ host, imitates string }{
		{"kensa-bank.co.uk", ""},
		{"www.kensa-bank.co.uk", ""},
		{"kensa-bamk.co.uk", "kensa-bank.co.uk"},
		{"kensabank.co.uk", "kensa-bank.co.uk"},
		{"kensa-bank.com", "kensa-bank.co.uk"},
		{"xn--knsa-bank-l4a.co.uk", "kensa-bank.co.uk"}, // kênsa-bank: a diacritic
		{"partner-logistic.com", "partner-logistics.com"},
		{"partner-logistics-login.net", "partner-logistics.com"},
		{"partnerlogistics.com", "partner-logistics.com"},
		{"other-logistics.com", ""},
		{"paypal.com", ""},
		{"www.paypa1.com", "paypal"},
		{"paypaI.com", "paypal"}, // capital I (hosts are lower-cased, Skeleton does not rely on it)
		{"secure-paypal.com", "paypal"},
		{"paypal-secure.example.net", ""}, // only the registrable name is typo-checked
		{"gooogle.com", "google"},
		{"198.51.100.7", ""},
		{"paypallogin.com", "paypal"},
		{"paypalobjects.com", ""},
		{"microsoftonline.com", ""},
		{"paypal-fans.example", ""},
		// Brands with words of their own beside them, hyphenated; the
		// same words glued on are brands' own domains.
		{"sharepoint-files.com", "sharepoint"},
		{"onedrive-share.net", "onedrive"},
		{"microsoft-365-login.web.app", "microsoft"},
		{"adobe-sign-docs.com", "adobe"},
		{"dhl-parcel-notice.com", "dhl"},
		{"usps-delivery-tracking.com", "usps"},
		{"apple-id-verify.com", "apple"},
		{"rnicrosoftonline.com", "microsoftonline"},
		{"login-microsoftonline.com", "microsoftonline"},
		{"microsoftonline-secure.com", "microsoftonline"},
		{"adobesign.com", ""},
		{"microsoft365.com", ""},
		{"amazonservices.com", ""},
		{"google-analytics.com", ""},
		{"amazon-adsystem.com", ""},
		{"paypal-community.com", ""},
		{"microsoftonline-p.com", ""},
		{"office-supplies.com", ""},
		{"zoom-meeting-notes.example", ""},
		{"dhl-freight-partner.com", ""},
		{"adobe.com", ""},
		// A brand's domain, or a protected one, in front of another.
		{"login.microsoftonline.com.auth-session.example.net", "microsoftonline"},
		{"www.paypal.com-secure.example", "paypal"},
		{"paypal.com.evil.example", "paypal"},
		{"kensa-bank.co.uk.verify.example.net", "kensa-bank.co.uk"},
		{"www.paypal.com.au", ""},
		{"apple.com.cn", ""},
		{"microsoft.cloud-news.example", ""},
		{"docs.paypal.com", ""},
		{"com.paypal.example", ""},
		{"apple.news.example.com", ""},
		{"office.live.com", ""},
		{"mail.google.com.session-check.example", "google"},
	}
	for _, c := range cases {
		got, how, ok := l.Match(c.host)
		if got != c.imitates || ok != (c.imitates != "") || ok && how == "" {
			t.Errorf("Match(%q) = %q, %q, %v; want %q", c.host, got, how, ok, c.imitates)
		}
	}
	var none *Lookalikes
	if b, _, ok := none.Match("www.rnicrosoft.com"); b != "microsoft" || !ok {
		t.Errorf("nil Lookalikes: %q %v", b, ok)
	}
}

// TestSkeletonTR39 pins folds that only the full confusables data has.
func TestSkeletonTR39(t *testing.T) {
	pairs := [][2]string{
		{"paypa\u1e37", "paypal"},          // Latin l with dot below
		{"p\u0430yp\u0430l", "paypal"},     // Cyrillic a
		{"\U0001d5c9aypal", "paypal"},      // mathematical sans-serif p
		{"micro\u0455oft", "microsoft"},    // Cyrillic dze
		{"\u0261oogle", "google"},          // Latin script g
		{"g\u03bf\u03bfgle", "google"},     // Greek omicron
		{"\u13aapple", "apple"},            // Cherokee A
		{"amazo\u0578", "amazon"},          // Armenian vo
		{"faceb\u00f6\u00f6k", "facebook"}, // diaeresis
	}
	for _, p := range pairs {
		if Skeleton(p[0]) != Skeleton(p[1]) {
			t.Errorf("Skeleton(%q) = %q, Skeleton(%q) = %q", p[0], Skeleton(p[0]), p[1], Skeleton(p[1]))
		}
	}
	if confusablesVersion == "" || len(confusables) < 6000 {
		t.Errorf("confusables table: version %q, %d entries", confusablesVersion, len(confusables))
	}
}
