package message

import "errors"

// Parse is written in issue 2 by the message helper.
func Parse(raw []byte) (*Message, error) {
	return nil, errors.New("message: Parse not implemented yet")
}
