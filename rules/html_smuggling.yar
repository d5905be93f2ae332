// HTML smuggling: an HTML attachment that carries a file inside itself and
// makes the browser "download" it, past any gateway that only looks at real
// attachments. Either script builds a Blob from a base64 payload, or a link
// with a download attribute points at a data: URL.

rule Kensa_HTML_Smuggling_Blob
{
    meta:
        description = "HTML that decodes a large base64 payload into a Blob and offers it as a download"
        severity = "malicious"
        score = 100
        author = "Kensa"
    strings:
        $blob = /new\s+Blob\s*\(/
        $url1 = "createObjectURL"
        $url2 = "msSaveOrOpenBlob"
        $url3 = "msSaveBlob"
        $atob = /atob\s*\(/
        // A base64 literal that starts like a ZIP, EXE, OLE, PDF, 7z, RAR,
        // gzip or RTF file, or a long literal passed straight to atob.
        $magic = /["'`](UEsDB|TVqQ|TVpQ|TVoA|0M8R4KGx|JVBERi0|N3q8ryc|UmFyIRoH|H4sI|e1xydGY)[A-Za-z0-9+\/]{200}/
        $inline = /atob\s*\(\s*["'`][A-Za-z0-9+\/]{1000}/
    condition:
        $blob and any of ($url*) and $atob and ($magic or $inline or filesize > 100KB)
}

rule Kensa_HTML_Smuggling_DataURI
{
    meta:
        description = "HTML download link whose target is a large data: URL of an archive, program or document"
        severity = "malicious"
        score = 100
        author = "Kensa"
    strings:
        // libyara caps a regex match at a few KB, and the data URL is longer
        // than that, so the download attribute is looked for on its own:
        // right after "<a", as download="name", or bare after a value.
        // (A "<a [^>]*download" regex would be slow on many unclosed tags.)
        $dl_first = /<a\s+download[\s>=]/ nocase
        $dl_named = /\sdownload\s*=\s*["']/ nocase
        $dl_bare = /["']\s+download[\s>]/ nocase
        $dl_bare2 = /\sdownload>/ nocase
        $dl_js = /\.download\s*=/
        $dl_set = /setAttribute\s*\(\s*["']download["']/
        // Types that carry something to open; fonts and images (common in
        // newsletters) are not among them.
        $data = /data:application\/(zip|x-zip[a-z\-]*|octet-stream|x-msdownload|x-dosexec|x-ms-dos-executable|vnd\.microsoft\.portable-executable|x-iso9660-image|x-rar[a-z\-]*|vnd\.rar|x-7z-compressed|x-gzip|gzip|x-tar|java-archive|x-msi|x-ms-installer|x-ms-shortcut|hta|onenote|msword|pdf|vnd\.ms-[a-z0-9.\-]+|vnd\.openxmlformats[a-z0-9.\-]+);base64,[A-Za-z0-9+\/]{1000}/ nocase
    condition:
        any of ($dl*) and $data
}
