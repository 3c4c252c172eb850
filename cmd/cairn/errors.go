package main

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/cairnfs/cairn/objstore"
	"github.com/spf13/cobra"
)

// usageError is a mistake in the command line: cairn exits with 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// opError is a failure of a well-formed command: cairn exits with 1.
type opError struct{ err error }

func (e *opError) Error() string { return e.err.Error() }
func (e *opError) Unwrap() error { return e.err }

// targetError says which argument (a URL or a path) a failure is about.
type targetError struct {
	target string
	err    error
}

func (e *targetError) Error() string { return e.target + ": " + e.err.Error() }
func (e *targetError) Unwrap() error { return e.err }

// on ties err, if any, to target.
func on(target string, err error) error {
	if err == nil {
		return nil
	}
	return &targetError{target, err}
}

// verbatimError is printed whole: its text already says all there is,
// better than the bare S3 condition it wraps.
type verbatimError struct{ err error }

func (e *verbatimError) Error() string { return e.err.Error() }
func (e *verbatimError) Unwrap() error { return e.err }

// runE adapts fn as a cobra RunE, marking its failures as operational
// unless fn says they are usage errors.
func runE(fn func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := fn(cmd, args)
		var ue *usageError
		if err == nil || errors.As(err, &ue) {
			return err
		}
		return &opError{err}
	}
}

// describe renders err for a user in one line: the target it concerns,
// then the S3 condition (code and message) when it is one, else the
// error itself.
func describe(err error) string {
	var (
		te *targetError
		ve *verbatimError
		le *lockedError
		se *objstore.Error
		pe *fs.PathError
	)
	switch {
	case errors.As(err, &le):
		return le.Error()
	case errors.As(err, &te) && errors.As(te.err, &pe) && pe.Path == te.target:
		return te.target + ": " + pe.Err.Error()
	case errors.As(err, &te):
		return te.target + ": " + describe(te.err)
	case errors.As(err, &ve):
		return ve.Error()
	case errors.As(err, &se):
		return se.Code + ": " + se.Message
	case errors.As(err, &pe):
		return pe.Op + " " + pe.Path + ": " + pe.Err.Error()
	}
	return err.Error()
}
