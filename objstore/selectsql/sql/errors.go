package sql

import (
	"fmt"
	"net/http"

	"github.com/cairnfs/cairn/objstore"
)

// The S3 Select error codes this package answers with.
const (
	CodeLexerInvalidChar      = "LexerInvalidChar"
	CodeLexerInvalidLiteral   = "LexerInvalidLiteral"
	CodeParseUnexpectedToken  = "ParseUnexpectedToken"
	CodeParseExpectedKeyword  = "ParseExpectedKeyword"
	CodeParseExpectedExpr     = "ParseExpectedExpression"
	CodeParseUnsupportedCall  = "UnsupportedFunction"
	CodeParseInvalidType      = "ParseInvalidTypeParam"
	CodeParseAggregateMix     = "ParseInvalidContextForWildcardInSelectList"
	CodeParseAsteriskNotAlone = "ParseAsteriskIsNotAloneInSelectList"
	CodeParseNestedAggregate  = "ParseNestedAggregateFunction"
	CodeInvalidColumnIndex    = "InvalidColumnIndex"
	CodeInvalidTableAlias     = "InvalidTableAlias"
	CodeCastFailed            = "CastFailed"
	CodeDivisionByZero        = "DivisionByZero"
	CodeEvaluatorInvalidArgs  = "EvaluatorInvalidArguments"
	CodeLikeInvalidInputs     = "LikeInvalidInputs"
	CodeInvalidDataType       = "InvalidDataType"
	CodeNegativeLimit         = "EvaluatorNegativeLimit"
)

// errorf returns an S3 Select error: a 400 with code and a message that
// says what in the query is wrong.
func errorf(code, format string, args ...any) error {
	return &objstore.Error{Code: code, Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}
