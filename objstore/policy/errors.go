package policy

import "fmt"

// Error is a document the parser refuses. Its message says what is
// wrong, in the words S3 uses in its MalformedPolicy errors.
type Error struct {
	Msg string
}

func (e *Error) Error() string { return e.Msg }

// errorf builds an *Error.
func errorf(format string, args ...any) error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}
