package urls

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/net/publicsuffix"
)

func TestHostedAt(t *testing.T) {
	const cid1 = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
	const cid0 = "QmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco"
	cases := []struct {
		link string
		want Hosted // Kind 0: not hosted
	}{
		{"https://sharepoint-doc-7f3a.pages.dev/", Hosted{AppHosting, "pages.dev", "", "sharepoint-doc-7f3a", ""}},
		{"https://evil.web.app/a/Login.HTML?x=1#y", Hosted{AppHosting, "web.app", "google", "evil", "login.html"}},
		{"https://web.app/", Hosted{}},               // the hosting's own site
		{"https://www.weebly.com/pricing", Hosted{}}, // and its www
		{"https://notweb.app/", Hosted{}},            // another domain ending in the same letters
		{"https://web.app.example.net/", Hosted{}},
		{"https://name.acct.workers.dev/c", Hosted{AppHosting, "workers.dev", "", "name.acct", "c"}},
		{"https://storage.googleapis.com/bkt-8823x/index.html#dmljdGlt", Hosted{Storage, "storage.googleapis.com", "google", "bkt-8823x", "index.html"}},
		{"https://storage.googleapis.com/", Hosted{}},
		{"https://firebasestorage.googleapis.com/v0/b/xyz-8823.appspot.com/o/docs%2Fadobe.html?alt=media", Hosted{Storage, "firebasestorage.googleapis.com", "google", "xyz-8823", "adobe.html"}},
		{"https://firebasestorage.googleapis.com/", Hosted{}},
		{"https://acme.s3.amazonaws.com/notes.html", Hosted{Storage, "s3.amazonaws.com", "", "acme", "notes.html"}},
		{"https://s3.us-east-1.amazonaws.com/acme/v2/notes.pdf", Hosted{Storage, "s3.*.amazonaws.com", "", "acme", "notes.pdf"}},
		{"https://s3-us-west-2.amazonaws.com/Acme%2DBkt/x.htm", Hosted{Storage, "s3-*.amazonaws.com", "", "acme-bkt", "x.htm"}},
		{"https://my.bkt.s3.dualstack.eu-west-1.amazonaws.com/", Hosted{Storage, "s3.dualstack.*.amazonaws.com", "", "my.bkt", ""}},
		{"https://ec2.us-east-1.amazonaws.com/", Hosted{}},
		{"https://owaverify7721.blob.core.windows.net/$web/index.html", Hosted{Storage, "blob.core.windows.net", "", "owaverify7721", "index.html"}},
		{"https://sites.google.com/view/paypal-center-7a/home", Hosted{SiteBuilder, "sites.google.com", "google", "paypal-center-7a", "home"}},
		{"https://sites.google.com/a/corp.example/intranet", Hosted{}},
		{"https://docs.google.com/forms/d/e/1FAIp/viewform", Hosted{FormBuilder, "docs.google.com", "google", "", "viewform"}},
		{"https://docs.google.com/document/d/1abc/edit", Hosted{}},
		{"https://forms.office.com/r/Xk4h8Qw2Lm", Hosted{FormBuilder, "forms.office.com", "", "", "xk4h8qw2lm"}},
		{"https://forms.office.com/", Hosted{}},
		{"https://www.jotform.com/form/231234567890", Hosted{FormBuilder, "jotform.com", "", "", "231234567890"}},
		{"https://www.jotform.com/pricing/", Hosted{}},
		{"https://acme.wufoo.com/forms/z1x2/", Hosted{FormBuilder, "wufoo.com", "", "acme", ""}},
		{"https://formspree.io/f/xyzabc", Hosted{FormBuilder, "formspree.io", "", "", "xyzabc"}},
		{"https://www.dropbox.com/scl/fi/ab12/Invoice.pdf?dl=0", Hosted{FileShare, "dropbox.com", "dropbox", "", "invoice.pdf"}},
		{"https://www.dropbox.com/business", Hosted{}},
		{"https://acme-my.sharepoint.com/:b:/g/personal/kenji_acme_example/EaBc", Hosted{FileShare, "*-my.sharepoint.com", "microsoft", "", "eabc"}},
		{"https://acme.sharepoint.com/sites/team/", Hosted{}}, // a team site, not a personal one
		{"https://my.sharepoint.com/x", Hosted{}},
		{"https://docs.google.com/drawings/d/1AbC/preview", Hosted{FileShare, "docs.google.com", "google", "", "preview"}},
		{"https://docs.google.com/presentation/d/e/2PACX-1v/pub?start=false", Hosted{FileShare, "docs.google.com", "google", "", "pub"}},
		{"https://docs.google.com/document/d/e/2PACX-1v/pub", Hosted{FileShare, "docs.google.com", "google", "", "pub"}},
		{"https://d111111abcdef8.cloudfront.net/login.html", Hosted{AppHosting, "cloudfront.net", "", "d111111abcdef8", "login.html"}},
		{"https://news-7a.blogspot.com/2026/01/post.html", Hosted{SiteBuilder, "blogspot.com", "", "news-7a", "post.html"}},
		{"https://acme.my.canva.site/", Hosted{SiteBuilder, "my.canva.site", "", "acme", ""}},
		{"https://tied-agents-mild-recipe.trycloudflare.com/vm", Hosted{Tunnel, "trycloudflare.com", "", "tied-agents-mild-recipe", "vm"}},
		{"https://" + cid1 + ".ipfs.dweb.link/#victim@corp.example", Hosted{IPFS, cid1 + ".ipfs.dweb.link", "", "", ""}},
		{"https://ipfs.io/ipfs/" + cid0 + "/webmail.html", Hosted{IPFS, "ipfs.io", "", "", "webmail.html"}},
		{"https://gw.example.net/ipfs/" + cid1, Hosted{IPFS, "gw.example.net", "", "", ""}},
		{"https://en-wikipedia--on--ipfs-org.ipns.dweb.link/wiki/", Hosted{IPFS, "en-wikipedia--on--ipfs-org.ipns.dweb.link", "", "", ""}},
		{"https://ipfs.io/ipns/docs.ipfs.tech/", Hosted{IPFS, "ipfs.io", "", "", ""}},
		{"ipfs://" + cid1 + "/verify.html", Hosted{IPFS, "ipfs", "", "", "verify.html"}},
		{"https://ipfs.io/ipfs/not-a-cid/x.html", Hosted{}},
		{"https://docs.ipfs.tech/install/", Hosted{}},
		{"https://www.example.com/ipfs/", Hosted{}},
	}
	for _, c := range cases {
		got, ok := HostedAt(Parse(c.link))
		if ok != (c.want.Kind != 0) || got != c.want {
			t.Errorf("%s: %+v %v, want %+v", c.link, got, ok, c.want)
		}
	}
}

// A site on a host the public suffix list knows is a registrable domain of
// its own there too, so the checks' "the sender's own site" (by registrable
// domain) and HostedAt's site agree: sender@evil.web.app owns evil.web.app,
// not web.app.
func TestHostingAgreesWithPublicSuffixes(t *testing.T) {
	agreed := 0
	for _, h := range hostings {
		if strings.Contains(h.pattern, "*") || h.paths != nil {
			continue
		}
		if ps, _ := publicsuffix.PublicSuffix("x." + h.pattern); ps != h.pattern {
			continue // not listed (weebly.com): the registrable domain is the hosting's
		}
		got, ok := HostedAt(Parse("https://a.site7." + h.pattern + "/x/y"))
		reg, err := publicsuffix.EffectiveTLDPlusOne("a.site7." + h.pattern)
		if !ok || err != nil || reg != "site7."+h.pattern || got.Site != "a.site7" {
			t.Errorf("%s: site %q (%v), registrable %q %v", h.pattern, got.Site, ok, reg, err)
		}
		agreed++
	}
	if agreed < 30 {
		t.Errorf("only %d hostings checked against the public suffix list", agreed)
	}
}

func TestBrandNamed(t *testing.T) {
	cases := map[string]string{
		"sharepoint-doc-7f3a":          "sharepoint",
		"Open in SharePoint":           "sharepoint",
		"docusign2026":                 "docusign",
		"Office 365":                   "office",
		"apple-id-verify":              "apple",
		"amazon-prime-billing":         "amazon",
		"Open Microsoft Teams":         "microsoft",
		"office-hours-2026":            "",
		"2027 outlook":                 "",
		"amazon-reviews-pds":           "",
		"googlechrome":                 "",
		"team-chat-84aa":               "",
		"REVIEW DOCUMENT":              "",
		"Zoom meeting login":           "zoom",
		"Zoom meeting notes":           "",
		"adobe":                        "adobe",
		"paypal-resolution-center-7a":  "paypal",
		"kensa-milter":                 "",
		"nextjs-auth-login-demo":       "",
		"Outlook Web App webmail page": "outlook",
	}
	for s, want := range cases {
		if got, _ := BrandNamed(s); got != want {
			t.Errorf("BrandNamed(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestBrandGlued(t *testing.T) {
	cases := map[string]string{
		"office365login":           "office365",
		"paypalsecure":             "paypal",
		"wellsfargoonline":         "wellsfargo",
		"micros0ftverify":          "microsoft",
		"rnicrosoftsharepoint":     "microsoft",
		"docusign7f3a":             "docusign",
		"securepaypal-x7k2":        "paypal",
		"login-dhl24parcel":        "dhl",
		"sharepointdocs-2026":      "sharepoint",
		"wetransferfiles.html":     "wetransfer",
		"applesecure":              "apple",
		"mypaypalresolution":       "paypal",
		"wellsfargobanking2026":    "wellsfargo",
		"amazonbillingupdate":      "amazon",
		"paypal":                   "", // the brand alone is BrandNamed's
		"paypal-secure":            "", // and so are brands as words
		"netflixclone":             "", // a developer's clone of the brand: no lure
		"dropboxclone-demo":        "",
		"pineapple":                "",
		"purchase":                 "",
		"office365":                "",
		"officeportal":             "", // an ordinary word beside a weak lure word
		"apple2026":                "",
		"outlook-news":             "",
		"paypalcafe":               "", // hex letters without a digit are a word
		"chaseloginchaseloginxxxx": "",
	}
	for s, want := range cases {
		if got, _ := BrandGlued(s); got != want {
			t.Errorf("BrandGlued(%q) = %q, want %q", s, got, want)
		}
	}
}

// No English word holds a brand glued to lure words, digits or hex: not
// alone, nor with a lure word or a number glued on (a site named
// "pineapplelogin" or "groups2026" is no brand's). The words are Debian's
// wamerican list, which scripts/deps.sh test installs.
func TestBrandGluedWords(t *testing.T) {
	const list = "/usr/share/dict/words"
	b, err := os.ReadFile(list)
	if err != nil {
		t.Fatalf("%v: the English word list is missing (scripts/deps.sh test installs wamerican)", err)
	}
	words := strings.Fields(string(b))
	if len(words) < 50000 {
		t.Fatalf("%s holds only %d words", list, len(words))
	}
	for _, w := range words {
		w = strings.ToLower(strings.TrimSuffix(w, "'s"))
		if brandSet[w] { // the brands that are words: "chase", "outlook"
			continue
		}
		for _, s := range []string{w, w + "login", "secure" + w, w + "2026", w + "7f3a"} {
			if br, ok := BrandGlued(s); ok {
				t.Errorf("BrandGlued(%q) = %q: the English word %q", s, br, w)
			}
		}
	}
}

func TestWebPage(t *testing.T) {
	for name, want := range map[string]bool{"index.html": true, "a.htm": true, "x.svg": true, "html": false, "report.pdf": false, "": false, "notes.html.pdf": false} {
		if WebPage(name) != want {
			t.Errorf("WebPage(%q) = %v", name, !want)
		}
	}
}

// docs/heuristics.md lists every hosting.
func TestDocsListEveryHosting(t *testing.T) {
	doc, err := os.ReadFile("../docs/heuristics.md")
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(doc)), " ")
	for _, h := range hostings {
		if !strings.Contains(flat, "`"+h.pattern+"`") {
			t.Errorf("docs/heuristics.md does not list `%s`", h.pattern)
		}
		for _, p := range h.paths {
			if !strings.Contains(flat, "`"+p+"`") {
				t.Errorf("docs/heuristics.md does not list %s's path `%s`", h.pattern, p)
			}
		}
	}
}
