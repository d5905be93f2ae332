package quarantine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/klauspost/compress/zstd"
)

// Bodies are zstd frames: mail compresses well (base64 attachments aside)
// and zstd is fast both ways. One encoder and one decoder serve every
// goroutine: EncodeAll and DecodeAll are safe for concurrent use.
var (
	encoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	decoder, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(maxBody))
)

// maxBody is PostgreSQL's limit for one bytea value, and far above any
// message an MTA accepts.
const maxBody = 1 << 30

const codecZstd = "zstd"

func compress(raw []byte) []byte { return encoder.EncodeAll(raw, nil) }

func digest(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// decompress returns the body and checks it against the size and digest
// recorded at Put, so a damaged row is an error, not a different message.
func decompress(codec string, data []byte, size int64, sum string) ([]byte, error) {
	if codec != codecZstd {
		return nil, fmt.Errorf("unknown body codec %q", codec)
	}
	if size < 0 || size > maxBody {
		return nil, fmt.Errorf("recorded size %d out of range", size)
	}
	raw, err := decoder.DecodeAll(data, make([]byte, 0, size))
	if err != nil {
		return nil, fmt.Errorf("decompress body: %w", err)
	}
	if int64(len(raw)) != size || digest(raw) != sum {
		return nil, fmt.Errorf("body does not match its recorded size and digest (damaged row)")
	}
	return raw, nil
}
