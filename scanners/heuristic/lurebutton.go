package heuristic

import (
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// A lure's button is the link the reader is meant to click: its text is a
// lure ("View document", "Keep my password") or a few words that open,
// view or fetch something ("Open", "Access file", "Read the message").
// A person sharing a page writes its title or its address instead ("Q4
// plan", "jo.github.io/talk").

// buttonVerbs are the verbs of a lure's button, as foldLure leaves them.
var buttonVerbs = skeletonSet("open", "view", "access", "review", "read", "download", "preview", "listen", "play", "sign",
	"retrieve", "click", "tap", "keep", "retain", "upgrade", "verify", "validate", "login", "logon", "signin",
	"restore", "release", "reactivate", "confirm", "continue", "update",
	// German, French, Spanish, Italian, Portuguese, Dutch.
	"offnen", "anzeigen", "ansehen", "herunterladen", "lesen", "prufen", "unterschreiben", "behalten", "bestatigen",
	"ouvrir", "voir", "consulter", "afficher", "telecharger", "lire", "signer", "acceder", "conserver", "garder", "verifier",
	"abrir", "ver", "descargar", "revisar", "leer", "firmar", "escuchar", "mantener", "conservar", "verificar",
	"apri", "aprire", "visualizza", "scarica", "leggi", "firma", "accedi", "ascolta", "mantieni", "verifica",
	"visualizar", "baixar", "acessar", "ler", "assinar", "manter", "openen", "bekijken", "downloaden", "lezen",
	"ondertekenen", "behouden", "bevestigen")

// buttonWords are the other words a lure's button says: what it opens
// and the small words around it ("Read the message", "Open fax now",
// "Dokument öffnen"); a button that names anything else ("Open the
// survey") is a page's own.
var buttonWords = skeletonSet("the", "a", "an", "your", "my", "it", "here", "now", "below", "this", "to", "and", "&", "in",
	"online", "document", "documents", "file", "files", "fax", "message", "messages", "voicemail", "pdf", "attachment",
	"attachments", "folder", "shared", "secure", "securely", "encrypted", "contract", "agreement", "invoice", "statement",
	"mail", "mailbox", "password", "current", "same", "storage", "space", "more", "account", "in", "sign", "log", "on",
	"dokument", "dokumente", "datei", "dateien", "nachricht", "jetzt", "hier", "das", "die", "den", "ihr", "ihre", "kennwort", "passwort",
	"le", "la", "les", "l", "votre", "fichier", "ici", "maintenant", "mot", "de", "passe",
	"el", "los", "su", "documento", "documentos", "archivo", "mensaje", "aqui", "ahora", "contrasena",
	"il", "messaggio", "qui", "ora", "o", "seu", "sua", "arquivo", "ficheiro", "mensagem", "aqui", "agora", "senha",
	"het", "de", "uw", "bestand", "bericht", "nu", "wachtwoord")

// skeletonSet is the set of words as lureText leaves them (their
// look-alike skeleton: "message" is "rnessage").
func skeletonSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[urls.Skeleton(w)] = true
	}
	return m
}

// maxButtonWords is how many words a button says at most.
const maxButtonWords = 5

// lureButton: the link's text is a lure's button (see above): a lure, or
// at most maxButtonWords words with a verb of buttonVerbs and nothing
// but buttonWords beside it, showing no domain.
func (e *env) lureButton(text string) bool {
	if strings.TrimSpace(text) == "" || e.linkTextHost(text) != "" {
		return false
	}
	t := lureText(text)
	if findLure(t) != "" {
		return true
	}
	words := strings.Fields(strings.ReplaceAll(t, "sign in", "signin"))
	if len(words) > maxButtonWords {
		return false
	}
	verb := false
	for _, w := range words {
		switch {
		case buttonVerbs[w]:
			verb = true
		case !buttonWords[w]:
			return false
		}
	}
	return verb
}

// shareLureOnHosting is the document-share lure (docLure) that the mail
// says when u, a link to free hosting, a site or form builder, storage,
// IPFS or a tunnel, is its button; "" for none. A file shared from a cloud
// drive (Dropbox, OneDrive, Google Drive) is how honest people share
// documents, and not counted here.
func (e *env) shareLureOnHosting(p *message.Part, u urls.URL, h urls.Hosted) string {
	if h.Kind == urls.FileShare || u.Source != urls.SourceHref && u.Source != urls.SourceICS ||
		e.isAttachment(p) && !eventText(p) || !e.lureButton(u.Text) {
		return ""
	}
	lure, _ := e.docLure(p)
	return lure
}

// credentialLures are the account lures (accountLures) that only ask for
// a mailbox's password: the mailbox is full, mail is held, the password
// expires or is to be kept. Honest services say "verify your account" or
// "your account will be suspended" to their own customers from domains
// of their own, which these are not restricted to.
var credentialLures = set(
	"mailbox is full", "mailbox is almost full", "mailbox full", "mailbox quota", "storage quota",
	"quota exceeded", "exceeded your quota", "exceeded its quota", "exceeded the storage", "storage is full",
	"incoming mail will be returned", "incoming messages will be", "messages are on hold", "pending messages",
	"password expires", "password will expire", "password has expired", "password expired", "password expiry",
	"password expiration", "keep your password", "keep my password", "keep current password", "keep the same password",
	"upgrade your mailbox", "mailbox will be suspended", "mailbox will be deactivated",
	"postfach ist voll", "postfach voll", "speicherplatz ist voll", "passwort läuft", "passwort ist abgelaufen",
	"passwort abgelaufen", "kennwort läuft", "kennwort ist abgelaufen", "kennwort abgelaufen", "postfach wird gesperrt",
	"boîte aux lettres est pleine", "boîte de réception est pleine", "boîte mail est pleine", "boite mail pleine",
	"mot de passe expire", "mot de passe a expiré", "quota de stockage",
	"buzón está lleno", "buzón lleno", "contraseña caduca", "contraseña expira", "contraseña ha caducado",
	"contraseña ha expirado", "cuota de almacenamiento",
	"casella di posta è piena", "casella piena", "password scade", "password è scaduta",
	"caixa de correio está cheia", "caixa de entrada está cheia", "caixa de entrada cheia", "senha expira", "senha expirou",
	"mailbox is vol", "postvak is vol", "wachtwoord verloopt", "wachtwoord is verlopen",
	"メールボックスの容量", "メールボックスがいっぱい", "パスワードの有効期限")

// signInServices are the registrable domains of identity providers that
// send a company's staff to change their passwords, and are no brand of
// the urls package's (Microsoft's and Google's count by urls.BrandDomain).
var signInServices = set("okta.com", "oktapreview.com", "okta-emea.com", "onelogin.com", "auth0.com", "duosecurity.com",
	"duo.com", "pingidentity.com", "pingone.com", "pingone.eu", "jumpcloud.com", "cyberark.cloud", "idaptive.app",
	"secureauth.com", "rsa.com", "securid.com", "manageengine.com", "adselfserviceplus.com", "specopssoft.com",
	"microsoftonline.com", "windowsazure.com", "azure.com")

// checkAccountLureLink: the mail says the reader's mailbox is full or
// the password expires (credentialLures), and a link goes to a host that
// is neither the sender's, nor a service's that shares files, nor an
// identity provider's, nor named as the sender's domain is (acme.com's
// mail linking to acme.example), and is either the lure's button or one
// of at most maxLureHosts such hosts. Free hosting is free-hosting-lure's;
// a click tracker's link is a newsletter's. A link to the recipients' own
// domain, and a mail from it (fromInside), are the company's own.
func checkAccountLureLink(e *env, p *message.Part, u urls.URL) string {
	if e.isAttachment(p) && !eventText(p) || !e.lureHost(u) || signInServices[e.registrable(u.Host)] ||
		e.sendersName(u.Host) || urls.ClickTrackerLink(u.Normalized, u.Host) || e.fromInside() || e.internal(e.registrable(u.Host)) {
		return ""
	}
	if _, ok := e.hosted(u); ok {
		return ""
	}
	lure := e.accountLure(p)
	if !credentialLures[lure] {
		return ""
	}
	if e.lureButton(u.Text) {
		return "the message says " + show(lure) + " and its button " + show(truncate(u.Text, 60)) + " goes to " + show(u.Host)
	}
	var hosts []string
	for _, v := range e.partURLs(p) {
		if e.lureHost(v) && !contains(hosts, v.Host) {
			if hosts = append(hosts, v.Host); len(hosts) > maxLureHosts {
				return ""
			}
		}
	}
	return "the message says " + show(lure) + " and its link goes to " + show(u.Host)
}

// fromInside: the envelope sender and the From are both of the
// recipients' own domain: the company's own notice.
func (e *env) fromInside() bool {
	return e.sender != "" && e.internal(e.sender) && e.internal(registrable(fromDomain(e.m.From)))
}

// checkAccountLureOwnMailbox: a mail account-lure-link finds, from
// outside the recipients' domain, names a recipient's address or domain in
// its subject, text or link: it speaks as the recipient's own mail desk.
func checkAccountLureOwnMailbox(e *env, p *message.Part, u urls.URL) string {
	if checkAccountLureLink(e, p, u) == "" {
		return ""
	}
	subject, text, link := plainWords(e.m.Subject), e.plainText(p), strings.ToLower(u.Normalized)
	for _, r := range e.recipientAddrs() {
		d := registrable(domainOfAddr(r.lower))
		if d == "" || d == e.sender || d == registrable(fromDomain(e.m.From)) {
			continue
		}
		for _, w := range []string{r.lower, d} {
			if hasWord(subject, w) || hasWord(text, w) || strings.Contains(link, w) {
				return "the mail from " + show(e.sender) + " says " + show(e.accountLure(p)) + " and names " + show(w) + ", the recipient's"
			}
		}
	}
	return ""
}

// sendersName: host's registrable domain starts with the same name as the
// sender's (From or envelope): a company linking from one of its domains
// to another (mail.saasco.example to app.saasco.test).
func (e *env) sendersName(host string) bool {
	h := domainName(e.registrable(host))
	if len(h) < 3 {
		return false
	}
	return h == domainName(e.sender) || h == domainName(fromDomain(e.m.From))
}

// domainName is the first label of d's registrable domain: "acme" of
// mail.acme.example.
func domainName(d string) string {
	n, _, _ := strings.Cut(registrable(d), ".")
	return n
}
