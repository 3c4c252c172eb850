package sql

import (
	"cmp"
	"strings"
)

// compareValues orders two present values: strings by bytes, numbers by
// value (a string that reads as a number compares as one against a
// number, as the values of a CSV file are all strings), booleans false
// first, timestamps by time. ok is false when they cannot be compared.
func compareValues(a, b Value) (int, bool) {
	switch {
	case a.Kind == String && b.Kind == String:
		return strings.Compare(a.S, b.S), true
	case a.Kind == Bool && b.Kind == Bool:
		return cmpBool(a.B, b.B), true
	case a.Kind == Timestamp || b.Kind == Timestamp:
		return compareTimes(a, b)
	case isNumeric(a) || isNumeric(b):
		return compareNumbers(a, b)
	case a.Kind == Bool || b.Kind == Bool:
		ab, aok := truth(a)
		bb, bok := truth(b)
		return cmpBool(ab, bb), aok && bok
	}
	return 0, false
}

func isNumeric(v Value) bool { return v.Kind == Int || v.Kind == Float }

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case b:
		return -1
	}
	return 1
}

// compareNumbers compares two values read as numbers.
func compareNumbers(a, b Value) (int, bool) {
	an, aok := a.number()
	bn, bok := b.number()
	if !aok || !bok {
		return 0, false
	}
	if an.Kind == Int && bn.Kind == Int {
		return cmp.Compare(an.I, bn.I), true
	}
	return cmp.Compare(an.float(), bn.float()), true
}

// compareTimes compares two values read as timestamps.
func compareTimes(a, b Value) (int, bool) {
	at, err := castTimestamp(a)
	if err != nil {
		return 0, false
	}
	bt, err := castTimestamp(b)
	if err != nil {
		return 0, false
	}
	return at.Time().Compare(bt.Time()), true
}

// minMaxCompare orders values for MIN and MAX: as numbers when both read
// as numbers, else as compareValues does.
func minMaxCompare(a, b Value) (int, bool) {
	if an, ok := a.number(); ok {
		if bn, ok := b.number(); ok {
			return compareNumbers(an, bn)
		}
	}
	return compareValues(a, b)
}
