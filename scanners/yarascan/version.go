package yarascan

// #cgo !yara_no_pkg_config,!yara_static  pkg-config: yara
// #cgo !yara_no_pkg_config,yara_static   pkg-config: --static yara
// #cgo yara_no_pkg_config                LDFLAGS:    -lyara -lm
// #include <yara.h>
// static const char *kensa_yara_version(void) { return YR_VERSION; }
import "C"

import "github.com/hillu/go-yara/v4"

// errScanTimeout is the libyara error a scan returns when it runs out of time.
const errScanTimeout = yara.Error(C.ERROR_SCAN_TIMEOUT)

// LibraryVersion is the version of libyara Kensa was built against, e.g. "4.2.3".
func LibraryVersion() string { return C.GoString(C.kensa_yara_version()) }
