// Package jpegluma decodes the luma plane of a JPEG, and only that, at
// full, half, quarter or eighth scale, through libjpeg-turbo (Debian's
// libjpeg62-turbo): what the search for 2-D codes in pictures needs from a
// photograph. libjpeg-turbo is what mail clients, browsers and phones show
// a JPEG with, so the plane is the one the reader sees; it is kept by its
// project, fuzzed continuously by OSS-Fuzz, and its SIMD Huffman decoding
// and reduced-size inverse DCTs read the bench's photographs in about half
// the CPU our own pure-Go decoder took (bench/NOTES.md). The colour planes
// are entropy-decoded only to skip them (libjpeg's grey output needs no
// inverse DCT of them), and at a reduced scale libjpeg's scaled inverse DCT
// makes each pixel from the block's coefficients directly.
//
// It reads what libjpeg-turbo reads into grey: sequential and progressive,
// Huffman and arithmetic coded, 8-bit, one component or three (YCbCr, or
// RGB as libjpeg tells it from its markers, converted to grey as libjpeg
// converts it). CMYK, YCCK, 12-bit and lossless files are ErrUnsupported
// (the caller tries image/jpeg); damage libjpeg reads through (truncated
// data, bad codes, lost restarts) is read through as libjpeg does, the
// rest grey.
//
// libjpeg's errors never leave C: its error_exit is replaced by one that
// longjmps to a setjmp in the same C call (libjpeg's own default calls
// exit()), so no longjmp crosses a Go frame, and its messages are kept, not
// printed. Everything is bounded before it is allocated: the plane by a
// pixel limit read from the header, the whole-picture coefficient buffers
// of a progressive or multi-scan file by maxCoefBytes (libjpeg's
// max_memory_to_use, with no backing store), the work by a limit on scans
// and by a deadline checked at each row of blocks (libjpeg's progress
// monitor).
package jpegluma

/*
#cgo LDFLAGS: -ljpeg
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <time.h>
#include <jpeglib.h>
#include <jerror.h>

// KJ_BLOCK_COST is a block's cost in a scan besides its coefficients, in
// coefficients (libjpeg's per-block work in a scan, measured with the
// costly files of the tests).
#define KJ_BLOCK_COST 8

// kj is one decode: libjpeg's state, where its errors jump to, and what
// the progress monitor enforces.
struct kj {
	struct jpeg_decompress_struct d;
	struct jpeg_error_mgr jerr;
	struct jpeg_progress_mgr prog;
	jmp_buf jb;
	char msg[JMSG_LENGTH_MAX];
	struct timespec deadline;
	int hasDeadline;
	int maxScans;
	int stop; // 1: deadline passed, 2: too many scans
	int lastScan;
	unsigned long long work, budget; // coefficients the scans read (kj_progress)
};

static void kj_error_exit(j_common_ptr c) {
	struct kj *k = (struct kj *)c->client_data;
	(*c->err->format_message)(c, k->msg);
	longjmp(k->jb, 1);
}

// kj_output keeps warnings off stderr (libjpeg's default prints them).
static void kj_output(j_common_ptr c) { (void)c; }

static void kj_stop(struct kj *k, int why, const char *msg) {
	k->stop = why;
	snprintf(k->msg, sizeof k->msg, "%s", msg);
	longjmp(k->jb, 1);
}

// kj_progress runs at each row of blocks libjpeg reads or writes.
static void kj_progress(j_common_ptr c) {
	struct kj *k = (struct kj *)c->client_data;
	if (k->maxScans > 0 && k->d.input_scan_number > k->maxScans)
		kj_stop(k, 2, "too many scans");
	// A new scan (its header read): what it will read, every block of its
	// components, their coefficients from Ss to Se and a block's overhead.
	if (k->budget > 0 && k->d.input_scan_number != k->lastScan && k->d.comps_in_scan > 0) {
		int i;
		unsigned long long blocks = 0;
		k->lastScan = k->d.input_scan_number;
		for (i = 0; i < k->d.comps_in_scan && i < MAX_COMPS_IN_SCAN; i++) {
			jpeg_component_info *c = k->d.cur_comp_info[i];
			if (c) blocks += (unsigned long long)c->width_in_blocks * c->height_in_blocks;
		}
		k->work += blocks * (unsigned long long)(k->d.Se - k->d.Ss + 1 + KJ_BLOCK_COST);
		if (k->work > k->budget)
			kj_stop(k, 2, "too many scans");
	}
	if (k->hasDeadline) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > k->deadline.tv_sec || (now.tv_sec == k->deadline.tv_sec && now.tv_nsec >= k->deadline.tv_nsec))
			kj_stop(k, 1, "deadline passed");
	}
}

static struct kj *kj_new(long maxMem) {
	struct kj *k = calloc(1, sizeof *k);
	if (!k) return NULL;
	k->d.err = jpeg_std_error(&k->jerr);
	k->jerr.error_exit = kj_error_exit;
	k->jerr.output_message = kj_output;
	k->d.client_data = k;
	k->prog.progress_monitor = kj_progress;
	if (setjmp(k->jb)) {
		jpeg_destroy_decompress(&k->d);
		free(k);
		return NULL;
	}
	jpeg_create_decompress(&k->d);
	k->d.progress = &k->prog;
	k->d.mem->max_memory_to_use = maxMem;
	return k;
}

static void kj_free(struct kj *k) {
	jpeg_destroy_decompress(&k->d);
	free(k);
}

static int kj_code(struct kj *k) { return k->jerr.msg_code; }

// kj_marker is the marker libjpeg was reading when it stopped, 0 when none
// (after an SOS segment, its scan's parameters are checked).
static int kj_marker(struct kj *k) { return k->d.unread_marker; }

// kj_pos is how far libjpeg read into the data.
static unsigned long kj_pos(struct kj *k, const unsigned char *data) {
	if (k->d.src == NULL) return 0;
	return (unsigned long)(k->d.src->next_input_byte - data);
}

// kj_header reads data's header (libjpeg keeps the pointer: the caller pins
// data until kj_free) and sets the output to grey at 1/denom. With exif, the
// APP1 segments are kept and *app1/*app1len is the first Exif one's TIFF
// data. 0, or -1 with k->msg set.
static int kj_header(struct kj *k, const unsigned char *data, unsigned long n, int denom, int exif,
		int *w, int *h, int *ow, int *oh, const unsigned char **app1, unsigned int *app1len) {
	if (setjmp(k->jb)) return -1;
	jpeg_mem_src(&k->d, data, n);
	if (exif) jpeg_save_markers(&k->d, JPEG_APP0 + 1, 0xffff);
	jpeg_read_header(&k->d, TRUE);
	*w = k->d.image_width;
	*h = k->d.image_height;
	if (exif) {
		jpeg_saved_marker_ptr m;
		for (m = k->d.marker_list; m != NULL; m = m->next) {
			if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 && memcmp(m->data, "Exif\0\0", 6) == 0) {
				*app1 = m->data + 6;
				*app1len = m->data_length - 6;
				break;
			}
		}
		return 0;
	}
	k->d.out_color_space = JCS_GRAYSCALE;
	k->d.scale_num = 1;
	k->d.scale_denom = denom;
	jpeg_calc_output_dimensions(&k->d);
	*ow = k->d.output_width;
	*oh = k->d.output_height;
	return 0;
}

// kj_decode decodes into out, rows of k->d.output_width bytes; *rows is how
// many were written. 0, or -1 with k->msg (and k->stop) set.
static int kj_decode(struct kj *k, unsigned char *out, long durNs, int maxScans, int maxPasses, unsigned int *rows) {
	*rows = 0;
	if (setjmp(k->jb)) {
		*rows = k->d.output_scanline;
		return -1;
	}
	k->maxScans = maxScans;
	{
		// The budget: maxPasses whole sequential reads of every block.
		int i;
		unsigned long long blocks = 0;
		for (i = 0; i < k->d.num_components; i++)
			blocks += (unsigned long long)k->d.comp_info[i].width_in_blocks * k->d.comp_info[i].height_in_blocks;
		k->budget = blocks * (unsigned long long)maxPasses * (64 + KJ_BLOCK_COST);
	}
	if (durNs > 0) {
		clock_gettime(CLOCK_MONOTONIC, &k->deadline);
		k->deadline.tv_sec += durNs / 1000000000L;
		k->deadline.tv_nsec += durNs % 1000000000L;
		if (k->deadline.tv_nsec >= 1000000000L) {
			k->deadline.tv_sec++;
			k->deadline.tv_nsec -= 1000000000L;
		}
		k->hasDeadline = 1;
	}
	kj_progress((j_common_ptr)&k->d); // a deadline already passed
	jpeg_start_decompress(&k->d);
	size_t stride = k->d.output_width;
	while (k->d.output_scanline < k->d.output_height) {
		JSAMPROW r[16];
		unsigned int i, n = k->d.output_height - k->d.output_scanline;
		if (n > 16) n = 16;
		for (i = 0; i < n; i++)
			r[i] = out + (size_t)(k->d.output_scanline + i) * stride;
		jpeg_read_scanlines(&k->d, r, n);
	}
	*rows = k->d.output_scanline;
	// No jpeg_finish_decompress: what follows the picture is not read.
	return 0;
}
*/
import "C"

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"math"
	"runtime"
	"time"
	"unsafe"
)

// ErrUnsupported is a JPEG libjpeg does not read into grey (CMYK, YCCK,
// 12-bit, lossless, two or four planes...); image/jpeg may.
var ErrUnsupported = errors.New("jpegluma: not a JPEG libjpeg reads into grey")

// FormatError is a JPEG that libjpeg finds corrupt before it shows any of
// it.
type FormatError string

func (e FormatError) Error() string { return "jpegluma: invalid JPEG: " + string(e) }

// ErrDeadline is a decode stopped at its deadline.
var ErrDeadline = errors.New("jpegluma: deadline passed")

// maxScans bounds the scans of a progressive or multi-scan file. libjpeg
// decodes any number (djpeg's -maxscans is off by default); encoders write
// about ten, a script of one coefficient a scan for three components about
// two hundred. Each scan costs a pass over the picture's rows of blocks,
// so a file of thousands of tiny scans would cost thousands of passes:
// such a file is ErrTooManyScans, which the caller notes, not a picture
// read in part.
const maxScans = 256

// maxPasses bounds the work of a file's scans: together they may read
// every block's coefficients (and pay a block's overhead) no more than
// maxPasses times over. A sequential file reads them once, an encoder's
// progressive script a few times; a file of a few kilobytes whose hundreds
// of scans pass over every block of a large frame (end-of-band runs,
// refinements of nothing, restart intervals out of data) would cost libjpeg
// seconds, and is ErrTooManyScans.
const maxPasses = 16

// ErrTooManyScans is a JPEG of more than maxScans scans, or whose scans read
// its blocks more than maxPasses times over.
var ErrTooManyScans = errors.New("jpegluma: JPEG of too many scans")

// maxCoefBytes bounds the coefficient buffers libjpeg keeps for a whole
// progressive or multi-scan picture (every plane's, at two bytes a
// coefficient): 4:2:0 up to about 56 megapixels, 4:4:4 about 28, grey
// about 84. A baseline file needs a row of blocks only. image/jpeg, which
// reads a progressive JPEG up to the search's 12 megapixels, keeps 4 bytes
// a coefficient: 144 MB at 12 megapixels 4:4:4.
const maxCoefBytes = 168 << 20

// ErrTooMuchMemory is a progressive or multi-scan JPEG whose coefficients
// would take more than maxCoefBytes.
var ErrTooMuchMemory = fmt.Errorf("jpegluma: a progressive or multi-scan JPEG needing over %d MB to decode", maxCoefBytes>>20)

var errTooLarge = errors.New("jpegluma: image larger than the pixel limit")

// Decode reads the luma plane of the JPEG in data at 1/scale (scale 1, 2, 4
// or 8). The plane is (width/scale)×(height/scale) (libjpeg's part-pixel
// at the right and bottom edges left out). maxPixels bounds width×height
// before anything is allocated.
func Decode(data []byte, scale, maxPixels int) (*image.Gray, error) {
	return DecodeBy(data, scale, maxPixels, time.Time{})
}

// DecodeBy is Decode stopping with ErrDeadline once deadline (when not zero)
// has passed, checked at each row of blocks.
func DecodeBy(data []byte, scale, maxPixels int, deadline time.Time) (*image.Gray, error) {
	return decodeBy(data, scale, maxPixels, deadline, true)
}

// decodeBy is DecodeBy; orCut: where libjpeg stops at a marker, read the
// file cut there.
func decodeBy(data []byte, scale, maxPixels int, deadline time.Time, orCut bool) (*image.Gray, error) {
	if scale != 1 && scale != 2 && scale != 4 && scale != 8 {
		return nil, errors.New("jpegluma: scale must be 1, 2, 4 or 8")
	}
	d, err := open(data)
	if err != nil {
		return nil, err
	}
	closed := false
	defer func() {
		if !closed {
			d.close()
		}
	}()
	var w, h, ow, oh C.int
	if C.kj_header(d.k, d.data(), d.n(), C.int(scale), 0, &w, &h, &ow, &oh, nil, nil) != 0 {
		return nil, d.err()
	}
	if int64(w)*int64(h) > int64(maxPixels) {
		return nil, errTooLarge
	}
	fw, fh := int(w)/scale, int(h)/scale // 0 for a picture smaller than the scale
	pix := make([]byte, int(ow)*int(oh))
	var dur int64
	if !deadline.IsZero() {
		dur = max(int64(time.Until(deadline)), 1)
	}
	var rows C.uint
	if C.kj_decode(d.k, (*C.uchar)(unsafe.Pointer(&pix[0])), C.long(dur), maxScans, maxPasses, &rows) != 0 {
		err := d.err()
		if d.k.stop != 0 || errors.Is(err, ErrTooMuchMemory) {
			return nil, err
		}
		if rows == 0 {
			// A file of several scans stopped at a marker after the
			// first (libjpeg's fatal error, an unknown marker or a
			// frame of another kind): djpeg writes nothing, and a
			// browser or a mail client, which reads the scans as they
			// come, shows those before it: the file cut there.
			if cut := d.stoppedAt(); cut > 0 && orCut {
				d.close()
				closed = true
				return decodeCut(data[:cut], scale, maxPixels, deadline, err)
			}
			return nil, err
		}
		// Damage libjpeg stops at after it showed rows of the picture
		// (a browser or a phone keeps them): the rest grey.
		clear128(pix[int(rows)*int(ow):])
	}
	// libjpeg's plane is ⌈w/scale⌉ wide; the search's is ⌊w/scale⌋.
	if int(ow) != fw {
		for y := 1; y < fh; y++ {
			copy(pix[y*fw:(y+1)*fw], pix[y*int(ow):])
		}
	}
	return &image.Gray{Pix: pix[: fw*fh : fw*fh], Stride: fw, Rect: image.Rect(0, 0, fw, fh)}, nil
}

// decodeCut is DecodeBy of a file cut where libjpeg stopped with err, which
// it returns if the cut reads no better.
func decodeCut(cut []byte, scale, maxPixels int, deadline time.Time, err error) (*image.Gray, error) {
	g, cerr := decodeBy(cut, scale, maxPixels, deadline, false)
	if errors.Is(cerr, ErrDeadline) || errors.Is(cerr, ErrTooManyScans) {
		return nil, cerr
	}
	if cerr != nil {
		return nil, err
	}
	return g, nil
}

// stoppedAt is where the marker libjpeg stopped at starts (the fill bytes
// before it included): the last one before where it stopped with the code
// it was reading (an SOS when it was checking a scan's parameters), after
// the first scan's. 0 when there is none.
func (d *dec) stoppedAt() int {
	m := byte(C.kj_marker(d.k))
	if m == 0 {
		m = 0xda
	}
	pos := min(int(C.kj_pos(d.k, d.data())), len(d.buf))
	first := bytes.Index(d.buf, []byte{0xff, 0xda})
	p := bytes.LastIndex(d.buf[:pos], []byte{0xff, m})
	if first < 0 || p <= first {
		return 0
	}
	for p > first && d.buf[p-1] == 0xff {
		p--
	}
	return p
}

func clear128(b []byte) {
	for i := range b {
		b[i] = 128
	}
}

// Config is the width and height of the JPEG in data, read from its header
// by libjpeg (where image/jpeg's DecodeConfig fails on a marker libjpeg
// passes over, this does not).
func Config(data []byte) (w, h int, err error) {
	d, err := open(data)
	if err != nil {
		return 0, 0, err
	}
	defer d.close()
	var cw, ch, ow, oh C.int
	if C.kj_header(d.k, d.data(), d.n(), 1, 0, &cw, &ch, &ow, &oh, nil, nil) != 0 {
		return 0, 0, d.err()
	}
	return int(cw), int(ch), nil
}

// Orientation is the EXIF orientation (1 to 8, 0 when there is none) of the
// JPEG in data: the Orientation tag of the first Exif APP1 segment before
// the picture's first scan, as libjpeg reads the markers. Mail clients,
// browsers and phones show the picture turned or mirrored by it.
func Orientation(data []byte) int {
	d, err := open(data)
	if err != nil {
		return 0
	}
	defer d.close()
	var w, h, ow, oh C.int
	var app1 *C.uchar
	var n C.uint
	if C.kj_header(d.k, d.data(), d.n(), 1, 1, &w, &h, &ow, &oh, &app1, &n) != 0 || app1 == nil {
		return 0
	}
	return exifOrientation(unsafe.Slice((*byte)(unsafe.Pointer(app1)), int(n)))
}

// dec is one libjpeg decompressor over data, which stays pinned while
// libjpeg's source manager points into it.
type dec struct {
	k   *C.struct_kj
	buf []byte
	pin runtime.Pinner
}

func open(data []byte) (*dec, error) {
	if len(data) == 0 {
		return nil, FormatError("empty")
	}
	if uint64(len(data)) > math.MaxUint32 {
		return nil, FormatError("larger than 4 GB")
	}
	k := C.kj_new(maxCoefBytes)
	if k == nil {
		return nil, errors.New("jpegluma: libjpeg could not start")
	}
	d := &dec{k: k, buf: data}
	d.pin.Pin(&data[0])
	return d, nil
}

func (d *dec) data() *C.uchar { return (*C.uchar)(unsafe.Pointer(&d.buf[0])) }
func (d *dec) n() C.ulong     { return C.ulong(len(d.buf)) }

func (d *dec) close() {
	C.kj_free(d.k)
	d.pin.Unpin()
}

// err is libjpeg's last error, named.
func (d *dec) err() error {
	msg := C.GoString(&d.k.msg[0])
	switch d.k.stop {
	case 1:
		return ErrDeadline
	case 2:
		return ErrTooManyScans
	}
	switch C.kj_code(d.k) {
	case C.JERR_BAD_PRECISION, C.JERR_SOF_UNSUPPORTED, C.JERR_CONVERSION_NOTIMPL,
		C.JERR_NOT_COMPILED, C.JERR_ARITH_NOTIMPL, C.JERR_NOTIMPL:
		return fmt.Errorf("%w (%s)", ErrUnsupported, msg)
	case C.JERR_NO_BACKING_STORE, C.JERR_OUT_OF_MEMORY:
		return ErrTooMuchMemory
	}
	return FormatError(msg)
}
