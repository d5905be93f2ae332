package urls

import (
	"errors"
	"strings"

	"github.com/makiuchi-d/gozxing"
	azdecoder "github.com/makiuchi-d/gozxing/aztec/decoder"
	azdetector "github.com/makiuchi-d/gozxing/aztec/detector"
)

// aztecReader is gozxing's AztecReader, the text of its result alone,
// without a second search of the picture where it cannot find anything.
// gozxing's reader runs its detector twice when the first try reads no
// code: once as printed, once mirrored. Both start by searching the
// picture's centre for the code's middle (two white-rectangle searches, a
// pixel at a time) and its bullseye; only then do they differ (the mirrored
// try swaps two of the bullseye's corners). On a picture with no Aztec code
// the bullseye is what is not found, so the mirrored try repeated that
// whole search to fail the same way. Here it is skipped then, and only
// then: any other failure tries the mirror as gozxing does
// (TestAztecReaderMatchesGozxing holds the two to the same texts).
type aztecReader struct{}

func (aztecReader) Decode(bmp *gozxing.BinaryBitmap, _ map[gozxing.DecodeHintType]interface{}) (*gozxing.Result, error) {
	m, err := bmp.GetBlackMatrix()
	if err != nil {
		return nil, err
	}
	d := azdetector.NewDetector(m)
	for _, mirror := range []bool{false, true} {
		r, err := d.Detect(mirror)
		if err != nil {
			if noBullseye(err) {
				return nil, err // the mirrored try fails there too
			}
			continue
		}
		if dr, err := azdecoder.NewDecoder().Decode(r); err == nil {
			return gozxing.NewResult(dr.GetText(), dr.GetRawBytes(), r.GetPoints(), gozxing.BarcodeFormat_AZTEC), nil
		}
	}
	return nil, gozxing.NewNotFoundException("no Aztec code")
}

func (r aztecReader) DecodeWithoutHints(bmp *gozxing.BinaryBitmap) (*gozxing.Result, error) {
	return r.Decode(bmp, nil)
}

func (aztecReader) Reset() {}

// noBullseye says the detector failed where it looks for the bullseye's
// rings around the centre it found (gozxing's getBullsEyeCorners: not five
// or seven of them), before the mirrored try could differ. An error of
// another wording (another stage, or another gozxing) is not taken for it,
// so the mirror is tried: the shortcut can only fail to apply.
func noBullseye(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) { // gozxing's errors wrap the detector's own
		if strings.HasPrefix(err.Error(), "NotFoundException: nbCenterLayers = ") {
			return true
		}
	}
	return false
}
