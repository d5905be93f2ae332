package main

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/kensa-milter/kensa/internal/mailview"
)

// The pages run no script at all and load nothing: a delivered message is
// shown as escaped text only.
const csp = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'"

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"verdictClass": verdictClass,
}).Parse(`
{{define "head"}}<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{.}} · Kensa trial mailbox</title>
<style>body{font:14px sans-serif;margin:1.5em}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f6f6;padding:.5em}.accept{color:#070}.tag{color:#a60}.other{color:#a00}code{font-size:12px}</style></head><body>{{end}}
{{define "list"}}{{template "head" "Inbox"}}
<h1>Kensa trial mailbox</h1>
<p>Mail that Postfix delivered after Kensa's verdict ({{len .List}} kept in memory, newest first). Rejected mail never arrives;
quarantined mail is in Kensa's quarantine{{if $.Console}} (console: <a href="{{$.Console}}">{{$.Console}}</a>){{end}}.
JSON: <a href="/api/messages">/api/messages</a>.</p>
<table><tr><th>#</th><th>received (UTC)</th><th>from</th><th>to</th><th>subject</th><th>X-Kensa-Verdict</th><th>X-Kensa-Findings</th></tr>
{{range .List}}<tr><td><a href="/message/{{.ID}}">{{.ID}}</a></td><td>{{.Received.Format "2006-01-02 15:04:05"}}</td><td>{{.From}}</td>
<td>{{range $i, $t := .To}}{{if $i}}, {{end}}{{$t}}{{end}}</td><td><a href="/message/{{.ID}}">{{.Subject}}</a></td>
<td class="{{verdictClass .Verdict}}">{{.Verdict}}</td><td><code>{{.Findings}}</code></td></tr>
{{else}}<tr><td colspan="7">No mail yet. Send some: docker/send-samples.sh</td></tr>{{end}}</table></body></html>{{end}}
{{define "message"}}{{template "head" .Summary.Subject}}
<p><a href="/">← inbox</a> · <a href="/message/{{.Summary.ID}}/raw">raw message</a></p>
<h1>{{.Summary.Subject}}</h1>
<p>Envelope: from {{.Summary.From}} to {{range $i, $t := .Summary.To}}{{if $i}}, {{end}}{{$t}}{{end}}, {{.Summary.Size}} bytes.</p>
<table>{{range .Headers}}<tr><th>{{.Name}}</th><td><code>{{.Value}}</code></td></tr>{{end}}</table>
{{range .Parts}}<h2>part {{.Path}} ({{.Type}}){{if .Cut}}, cut{{end}}</h2><pre>{{.Text}}</pre>{{end}}
{{if .ParseError}}<p>{{.ParseError}}</p>{{end}}</body></html>{{end}}
`))

func verdictClass(v string) string {
	switch {
	case v == "":
		return ""
	case strings.HasPrefix(v, "accept"):
		return "accept"
	case strings.HasPrefix(v, "tag"):
		return "tag"
	}
	return "other"
}

// newHandler serves the pages; consoleURL ("" = none) is linked from the inbox.
func newHandler(st *store, consoleURL string, log logrus.FieldLogger) http.Handler {
	mux := http.NewServeMux()
	render := func(w http.ResponseWriter, name string, data any) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := pages.ExecuteTemplate(w, name, data); err != nil {
			log.WithError(err).WithField("page", name).Warn("render failed")
		}
	}
	get := func(w http.ResponseWriter, r *http.Request) *message {
		id, err := strconv.Atoi(r.PathValue("id"))
		if err != nil {
			http.NotFound(w, r)
			return nil
		}
		m := st.Get(id)
		if m == nil {
			http.NotFound(w, r)
		}
		return m
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		var list []summary
		for _, m := range st.List() {
			list = append(list, summarize(m))
		}
		render(w, "list", struct {
			List    []summary
			Console string
		}{list, consoleURL})
	})
	mux.HandleFunc("GET /api/messages", func(w http.ResponseWriter, r *http.Request) {
		list := []summary{}
		for _, m := range st.List() {
			list = append(list, summarize(m))
		}
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(list)
	})
	mux.HandleFunc("GET /message/{id}", func(w http.ResponseWriter, r *http.Request) {
		m := get(w, r)
		if m == nil {
			return
		}
		data := struct {
			Summary    summary
			Headers    []mailview.Field
			Parts      []mailview.TextPart
			ParseError string
		}{Summary: summarize(m), Headers: mailview.Headers(m.Data)}
		parts, err := mailview.TextParts(m.Data)
		if err != nil {
			data.ParseError = err.Error()
		}
		data.Parts = parts
		render(w, "message", data)
	})
	mux.HandleFunc("GET /message/{id}/raw", func(w http.ResponseWriter, r *http.Request) {
		if m := get(w, r); m != nil {
			// text/plain with nosniff: a browser shows the bytes, never runs them.
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write(m.Data)
		}
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		mux.ServeHTTP(w, r)
	})
}
