//go:build integration

package integration

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// dropper is a harmless stand-in of a few KB with one payment URL (an
// invoice-fraud letter: nothing YARA or the checks flag on their own), the
// kind of file a campaign varies from wave to wave.
func dropper(seed uint64, url string) []byte {
	r := rand.New(rand.NewPCG(seed, 15))
	var b strings.Builder
	b.WriteString("INVOICE NOTICE - ACCOUNTS PAYABLE\n\n")
	for i := 0; b.Len() < 9000; i++ {
		switch {
		case i%40 == 7:
			fmt.Fprintf(&b, "Pay online at %s before the due date.\n", url)
		case i%2 == 0:
			fmt.Fprintf(&b, "Item %d: consulting services, reference %x, amount EUR %d.%02d\n", i, r.Uint32(), r.IntN(9000), r.IntN(100))
		default:
			fmt.Fprintf(&b, "Our bank details changed on %d/%d: IBAN DE%d%x, please update your records.\n", 1+r.IntN(28), 1+r.IntN(12), r.IntN(100), r.Uint64())
		}
	}
	return []byte(b.String())
}

// newsletterScript is another text a business sends: the same type of
// file, unrelated.
func newsletterScript() []byte {
	var b strings.Builder
	b.WriteString("MINUTES OF THE PLANNING MEETING\n\n")
	for i := 0; b.Len() < 9000; i++ {
		fmt.Fprintf(&b, "%d. The team reviewed milestone %d of the autumn release and agreed to revisit it next week.\n", i, i%17)
	}
	return []byte(b.String())
}

// After `kensa known add`, through a real Postfix: a byte-identical copy
// is rejected, a variant (another download URL) is held as
// similar-to-known, and an unrelated file of the same type is delivered.
// The sample is added while Kensa runs: Kensa picks it up within
// known.refresh.
func TestKnownSamplesThroughPostfix(t *testing.T) {
	count(t)
	sk := startSink(t)
	k := startKensa(t, kensaOpts{knownRefresh: "1s"})
	pf := startPostfix(t, sk.Port, postfixOpts{milterPort: k.Port})

	sample := dropper(1, "https://wave1.example/gate.php?id=4711")
	path := filepath.Join(k.dir, "invoice.txt")
	if err := os.WriteFile(path, sample, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(kensaBin, "known", "add", "--config", k.config, "--name", "dropper wave 1", path).CombinedOutput()
	if err != nil {
		t.Fatalf("kensa known add: %v\n%s", err, out)
	}
	if !k.waitLog(30*time.Second, "known set loaded", "samples=1") {
		t.Fatal("the running Kensa did not load the new sample")
	}

	checkKnownOutcomes(t, k, pf, sk, sample, dropper(1, "https://wave2-cdn.example/gate.php?id=815"))
}

// sendInvoice sends content through pf as a message's invoice.txt.
func sendInvoice(pf *postfixMTA, kind string, content []byte) (token string, r smtpResult) {
	token = newToken(kind)
	msg := buildMessage(token, "Your invoice", nil, "The invoice is attached.", attachment{name: "invoice.txt", ctype: "text/plain", content: content})
	return token, send(pf.Addr, mail{From: testSender, To: []string{rcptFor(token, 1)}, Data: msg})
}

// checkKnownOutcomes sends through pf, whose milter is k, once sample is
// known: a byte-identical copy is rejected (known-malicious), variant is
// held (similar-to-known), and an unrelated file of the same type is
// delivered with accept.
func checkKnownOutcomes(t *testing.T, k *kensa, pf *postfixMTA, sk *sink, sample, variant []byte) {
	t.Helper()
	if _, r := sendInvoice(pf, "exact", sample); r.Stage != "eod" || r.Code != 550 {
		t.Errorf("byte-identical copy: %v, want 550 at the end of DATA", r)
	}
	if !k.waitLog(10*time.Second, "known-malicious") {
		t.Error("Kensa's log does not name known-malicious")
	}
	token, r := sendInvoice(pf, "variant", variant)
	if !r.accepted() {
		t.Fatalf("variant: %v (quarantine mode hold: Postfix accepts and holds)", r)
	}
	e := &env{pf: pf}
	if !eventually(20*time.Second, func() bool { return len(e.held(rcptFor(token, 1))) == 1 }) {
		t.Errorf("the variant is not held; queue: %s", pf.queueJSON())
	}
	if !k.waitLog(10*time.Second, "similar-to-known") {
		t.Error("Kensa's log does not name similar-to-known")
	}
	token, r = sendInvoice(pf, "clean", newsletterScript())
	if !r.accepted() {
		t.Fatalf("unrelated file: %v", r)
	}
	got := sk.waitFor(token, 1, 30*time.Second)
	if len(got) != 1 {
		t.Fatalf("the unrelated file was not delivered (%d copies)", len(got))
	}
	if v := verdictOf(t, got[0]); !strings.HasPrefix(v, "accept") {
		t.Errorf("unrelated file: X-Kensa-Verdict %q", v)
	}
}

// SIGHUP re-reads the known set at once, however long known.refresh is.
func TestKnownSetReloadsOnSIGHUP(t *testing.T) {
	count(t)
	k := startKensa(t, kensaOpts{knownRefresh: "1m"})
	if !k.waitLog(30*time.Second, "known set loaded", "samples=0") {
		t.Fatal("no first load of the known set")
	}
	path := filepath.Join(k.dir, "invoice.txt")
	if err := os.WriteFile(path, dropper(2, "https://wave3.example/pay"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(kensaBin, "known", "add", "--config", k.config, path).CombinedOutput(); err != nil {
		t.Fatalf("kensa known add: %v\n%s", err, out)
	}
	k.signal(syscall.SIGHUP)
	if !k.waitLog(20*time.Second, "known set loaded", "samples=1") {
		t.Fatal("SIGHUP did not re-read the known set")
	}
}
